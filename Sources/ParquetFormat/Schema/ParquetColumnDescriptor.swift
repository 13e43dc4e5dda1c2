/// One column of a flat Parquet schema.
package struct ParquetColumnDescriptor: Sendable, Equatable {
    /// Position in the file's column order (0-based).
    package let index: Int
    package let name: String
    package let physicalType: ParquetPhysicalType
    package let logicalType: ParquetLogicalType
    package let repetition: ParquetRepetition
    /// Byte width of FIXED_LEN_BYTE_ARRAY values (12 for INT96); nil for other types.
    package let typeLength: Int?

    package var isNullable: Bool { repetition == .optional }

    package init(
        index: Int,
        name: String,
        physicalType: ParquetPhysicalType,
        logicalType: ParquetLogicalType,
        repetition: ParquetRepetition,
        typeLength: Int?
    ) {
        self.index = index
        self.name = name
        self.physicalType = physicalType
        self.logicalType = logicalType
        self.repetition = repetition
        self.typeLength = typeLength
    }
}
