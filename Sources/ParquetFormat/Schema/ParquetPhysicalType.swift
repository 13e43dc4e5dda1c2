/// How values are stored on disk (the Parquet `Type` enum).
package enum ParquetPhysicalType: Int32, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    /// Deprecated 12-byte legacy timestamp (nanoseconds of day + Julian day).
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7

    package var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}
