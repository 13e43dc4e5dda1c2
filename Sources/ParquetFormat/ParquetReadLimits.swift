/// Ceilings on sizes that come from the file itself.
///
/// A Parquet file states its own footer length, page sizes and row counts. Each of those is
/// checked against what contains it (the file, the column chunk, the page) before anything is
/// allocated, but some values legitimately expand far beyond their encoded size (an RLE run of
/// a million nulls takes three bytes; a repeated 1 MiB string in a dictionary column takes a
/// few bits per row). These limits bound what such expansion may cost.
package struct ParquetReadLimits: Sendable, Equatable {
    /// Largest FileMetaData accepted, in bytes.
    package var maxFooterBytes: Int
    /// Largest `uncompressed_page_size` accepted (the buffer a page is decompressed into).
    package var maxPageBytes: Int
    /// Largest row count accepted for one row group (bounds every per-row allocation).
    package var maxRowsPerRowGroup: Int
    /// Largest decoded byte payload of one BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY column chunk.
    package var maxDecodedBytesPerColumnChunk: Int
    /// Deepest Thrift struct/list nesting accepted (real metadata nests about 6 deep).
    package var maxThriftNestingDepth: Int

    package init(
        maxFooterBytes: Int = 64 << 20,
        maxPageBytes: Int = 1 << 30,
        maxRowsPerRowGroup: Int = 256 << 20,
        maxDecodedBytesPerColumnChunk: Int = 2 << 30,
        maxThriftNestingDepth: Int = 64
    ) {
        self.maxFooterBytes = maxFooterBytes
        self.maxPageBytes = maxPageBytes
        self.maxRowsPerRowGroup = maxRowsPerRowGroup
        self.maxDecodedBytesPerColumnChunk = maxDecodedBytesPerColumnChunk
        self.maxThriftNestingDepth = maxThriftNestingDepth
    }
}
