/// What the stored values mean, resolved from the `LogicalType` annotation or, for writers that
/// only write the older `ConvertedType` (DuckDB does), from that.
package enum ParquetLogicalType: Sendable, Equatable, CustomStringConvertible {
    /// No annotation: the physical type is the meaning (INT32/INT64 are signed integers).
    case none
    /// UTF-8 text (STRING / UTF8).
    case string
    /// UTF-8 enum labels (ENUM).
    case enumeration
    /// UTF-8 JSON text.
    case json
    /// BSON bytes.
    case bson
    /// 16-byte UUID in FIXED_LEN_BYTE_ARRAY(16).
    case uuid
    /// IEEE half float in FIXED_LEN_BYTE_ARRAY(2); delivered as raw bytes.
    case float16
    /// An integer of `bitWidth` bits (8, 16, 32, 64) stored in INT32 or INT64.
    case integer(bitWidth: Int, isSigned: Bool)
    /// unscaled × 10^-scale, stored in INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY.
    case decimal(precision: Int, scale: Int)
    /// Days since 1970-01-01 in INT32.
    case date
    /// Time of day: MILLIS in INT32, MICROS/NANOS in INT64.
    case time(unit: ParquetTimeUnit, isAdjustedToUTC: Bool)
    /// Ticks since 1970-01-01T00:00:00; an instant when adjusted to UTC, local wall time if not.
    case timestamp(unit: ParquetTimeUnit, isAdjustedToUTC: Bool)
    /// The UNKNOWN / null type: every value is null.
    case unknown

    package var description: String {
        switch self {
        case .none: "none"
        case .string: "STRING"
        case .enumeration: "ENUM"
        case .json: "JSON"
        case .bson: "BSON"
        case .uuid: "UUID"
        case .float16: "FLOAT16"
        case let .integer(bitWidth, isSigned): "INT(\(bitWidth), \(isSigned ? "signed" : "unsigned"))"
        case let .decimal(precision, scale): "DECIMAL(\(precision), \(scale))"
        case .date: "DATE"
        case let .time(unit, utc): "TIME(\(unit), \(utc ? "UTC" : "local"))"
        case let .timestamp(unit, utc): "TIMESTAMP(\(unit), \(utc ? "UTC" : "local"))"
        case .unknown: "UNKNOWN"
        }
    }
}

extension ParquetLogicalType {
    /// The largest decimal precision this reader holds exactly (unscaled values are Int128).
    static let maxSupportedDecimalPrecision = 38

    /// Resolves a schema element's annotations: the LogicalType wins when present, otherwise
    /// the ConvertedType is used. ConvertedType TIME_*/TIMESTAMP_* alone means UTC-adjusted
    /// (LogicalTypes.md, backward compatibility section).
    static func resolve(_ element: SchemaElement, physicalType: ParquetPhysicalType) throws -> ParquetLogicalType {
        let resolved: ParquetLogicalType
        if let annotation = element.logicalType, let fromAnnotation = try fromLogicalAnnotation(annotation, element: element) {
            resolved = fromAnnotation
        } else if let converted = element.convertedType {
            resolved = try fromConvertedType(converted, element: element)
        } else if physicalType == .int96 {
            // Legacy INT96 timestamps are read as local nanosecond timestamps, as pyarrow does.
            resolved = .timestamp(unit: .nanoseconds, isAdjustedToUTC: false)
        } else {
            resolved = .none
        }
        try resolved.validate(physicalType: physicalType, typeLength: element.typeLength, column: element.name)
        return resolved
    }

    private static func fromLogicalAnnotation(_ annotation: LogicalTypeAnnotation, element: SchemaElement) throws -> ParquetLogicalType? {
        switch annotation {
        case .string: return .string
        case .enumeration: return .enumeration
        case .json: return .json
        case .bson: return .bson
        case .uuid: return .uuid
        case .float16: return .float16
        case .unknown: return .unknown
        case .date: return .date
        case let .decimal(scale, precision):
            return .decimal(precision: Int(precision), scale: Int(scale))
        case let .integer(bitWidth, isSigned):
            return .integer(bitWidth: Int(bitWidth), isSigned: isSigned)
        case let .time(adjusted, unit):
            guard let unit else { throw badAnnotation(element, "TIME without a unit") }
            return .time(unit: unit, isAdjustedToUTC: adjusted)
        case let .timestamp(adjusted, unit):
            guard let unit else { throw badAnnotation(element, "TIMESTAMP without a unit") }
            return .timestamp(unit: unit, isAdjustedToUTC: adjusted)
        case .map, .list:
            // Only valid on groups, which the schema walk refuses before this point.
            return nil
        case .other:
            // A newer annotation: fall back to the ConvertedType or the physical type.
            return nil
        }
    }

    private static func fromConvertedType(_ converted: Int32, element: SchemaElement) throws -> ParquetLogicalType {
        switch converted {
        case 0: return .string  // UTF8
        case 4: return .enumeration  // ENUM
        case 5:  // DECIMAL
            return .decimal(precision: Int(element.precision ?? 0), scale: Int(element.scale ?? 0))
        case 6: return .date
        case 7: return .time(unit: .milliseconds, isAdjustedToUTC: true)
        case 8: return .time(unit: .microseconds, isAdjustedToUTC: true)
        case 9: return .timestamp(unit: .milliseconds, isAdjustedToUTC: true)
        case 10: return .timestamp(unit: .microseconds, isAdjustedToUTC: true)
        case 11: return .integer(bitWidth: 8, isSigned: false)
        case 12: return .integer(bitWidth: 16, isSigned: false)
        case 13: return .integer(bitWidth: 32, isSigned: false)
        case 14: return .integer(bitWidth: 64, isSigned: false)
        case 15: return .integer(bitWidth: 8, isSigned: true)
        case 16: return .integer(bitWidth: 16, isSigned: true)
        case 17: return .integer(bitWidth: 32, isSigned: true)
        case 18: return .integer(bitWidth: 64, isSigned: true)
        case 19: return .json
        case 20: return .bson
        case 21: return .none  // INTERVAL: raw 12 bytes
        default:
            // MAP, MAP_KEY_VALUE, LIST belong to groups; anything else is unknown to us.
            return .none
        }
    }

    /// Checks the annotation fits the physical type, so value conversion can rely on it.
    func validate(physicalType: ParquetPhysicalType, typeLength: Int32?, column: String) throws {
        func mismatch() -> ParquetError {
            ParquetError(.corruptMetadata, "column `\(column)`: logical type \(self) cannot annotate \(physicalType)")
        }
        switch self {
        case .none, .unknown:
            return
        case .string, .enumeration, .json, .bson:
            guard physicalType == .byteArray else { throw mismatch() }
        case .uuid:
            guard physicalType == .fixedLenByteArray, typeLength == 16 else { throw mismatch() }
        case .float16:
            guard physicalType == .fixedLenByteArray, typeLength == 2 else { throw mismatch() }
        case .date:
            guard physicalType == .int32 else { throw mismatch() }
        case let .integer(bitWidth, _):
            switch (bitWidth, physicalType) {
            case (8, .int32), (16, .int32), (32, .int32), (64, .int64): return
            default: throw mismatch()
            }
        case let .time(unit, _):
            let expected: ParquetPhysicalType = unit == .milliseconds ? .int32 : .int64
            guard physicalType == expected else { throw mismatch() }
        case .timestamp:
            guard physicalType == .int64 || physicalType == .int96 else { throw mismatch() }
        case let .decimal(precision, scale):
            guard precision >= 1, scale >= 0, scale <= precision else {
                throw ParquetError(.corruptMetadata, "column `\(column)`: invalid DECIMAL(\(precision), \(scale))")
            }
            guard precision <= Self.maxSupportedDecimalPrecision else {
                throw ParquetError(
                    .unsupported, "column `\(column)`: DECIMAL precision \(precision) is above the supported \(Self.maxSupportedDecimalPrecision)")
            }
            switch physicalType {
            case .int32: guard precision <= 9 else { throw mismatch() }
            case .int64: guard precision <= 18 else { throw mismatch() }
            case .fixedLenByteArray, .byteArray: return
            default: throw mismatch()
            }
        }
    }

    private static func badAnnotation(_ element: SchemaElement, _ what: String) -> ParquetError {
        ParquetError(.corruptMetadata, "column `\(element.name)`: \(what)")
    }
}
