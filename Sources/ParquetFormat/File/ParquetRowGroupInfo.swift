/// Where one column chunk lives and how it is stored, from the footer.
public struct ParquetColumnChunkInfo: Sendable, Equatable {
    public let columnIndex: Int
    /// nil when the file names a codec this reader does not know.
    public let codec: ParquetCompressionCodec?
    /// The raw codec id, for messages about unknown codecs.
    public let codecID: Int32
    /// Encodings listed in ColumnMetaData (unknown ids are dropped).
    public let encodings: [ParquetEncoding]
    /// Values in the chunk, nulls included; equals the row group's row count for flat columns.
    public let valueCount: Int
    public let compressedSize: Int
    public let uncompressedSize: Int
    /// The file range the reader fetches for this chunk (empty when `valueCount` is 0).
    public let byteRange: Range<Int>
}

/// One row group's footer metadata.
public struct ParquetRowGroupInfo: Sendable, Equatable {
    public let index: Int
    public let rowCount: Int
    public let totalByteSize: Int
    /// One entry per schema column, in schema order.
    public let columns: [ParquetColumnChunkInfo]
}

/// A row group's decoded columns (only those asked for, in the order asked).
public struct ParquetRowGroup: Sendable, Equatable {
    public let index: Int
    public let rowCount: Int
    public let columns: [ParquetColumn]

    public subscript(name: String) -> ParquetColumn? {
        columns.first { $0.name == name }
    }
}

/// A key/value pair from the footer (pyarrow writes `ARROW:schema`, pandas `pandas`).
public struct ParquetKeyValue: Sendable, Equatable {
    public let key: String
    public let value: String?
}
