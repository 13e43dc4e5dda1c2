/// One column of a flat Parquet schema.
public struct ParquetColumnDescriptor: Sendable, Equatable {
    /// Position in the file's column order (0-based).
    public let index: Int
    public let name: String
    public let physicalType: ParquetPhysicalType
    public let logicalType: ParquetLogicalType
    public let repetition: ParquetRepetition
    /// Byte width of FIXED_LEN_BYTE_ARRAY values (12 for INT96); nil for other types.
    public let typeLength: Int?

    public var isNullable: Bool { repetition == .optional }

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
