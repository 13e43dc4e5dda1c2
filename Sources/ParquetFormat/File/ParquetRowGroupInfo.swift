/// Where one column chunk lives and how it is stored, from the footer.
package struct ParquetColumnChunkInfo: Sendable, Equatable {
    package let columnIndex: Int
    /// nil when the file names a codec this reader does not know.
    package let codec: ParquetCompressionCodec?
    /// The raw codec id, for messages about unknown codecs.
    package let codecID: Int32
    /// Encodings listed in ColumnMetaData (unknown ids are dropped).
    package let encodings: [ParquetEncoding]
    /// Values in the chunk, nulls included; equals the row group's row count for flat columns.
    package let valueCount: Int
    package let compressedSize: Int
    package let uncompressedSize: Int
    /// The file range the reader fetches for this chunk (empty when `valueCount` is 0).
    package let byteRange: Range<Int>
}

/// One row group's footer metadata.
package struct ParquetRowGroupInfo: Sendable, Equatable {
    package let index: Int
    package let rowCount: Int
    package let totalByteSize: Int
    /// One entry per schema column, in schema order.
    package let columns: [ParquetColumnChunkInfo]
}

/// A row group's decoded columns (only those asked for, in the order asked).
package struct ParquetRowGroup: Sendable, Equatable {
    package let index: Int
    package let rowCount: Int
    package let columns: [ParquetColumn]

    package subscript(name: String) -> ParquetColumn? {
        columns.first { $0.name == name }
    }
}

/// A key/value pair from the footer (pyarrow writes `ARROW:schema`, pandas `pandas`).
package struct ParquetKeyValue: Sendable, Equatable {
    package let key: String
    package let value: String?
}
