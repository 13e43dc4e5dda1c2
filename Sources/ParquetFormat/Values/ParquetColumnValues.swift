/// The decoded values of one column, typed by what they mean.
///
/// Storage is dense: one entry per row, null rows included (they hold 0, false or an empty
/// value; ``ParquetColumn/validity`` says which rows are null). That keeps row i at index i
/// for every case and makes appending row groups a plain array append.
package enum ParquetColumnValues: Sendable, Equatable {
    case boolean([Bool])
    /// INT32 without annotation, INT(8|16|32, signed) and INT(8|16, unsigned).
    case int32([Int32])
    /// INT64 without annotation, INT(64, signed), and INT(32, unsigned) widened.
    case int64([Int64])
    /// INT(64, unsigned).
    case uint64([UInt64])
    case float([Float])
    case double([Double])
    /// STRING, ENUM and JSON: UTF-8 bytes (not validated).
    case string(ParquetByteArrays)
    /// BYTE_ARRAY without a text annotation, BSON, and FIXED_LEN_BYTE_ARRAY that is not a
    /// decimal (UUID, FLOAT16, INTERVAL): raw bytes.
    case binary(ParquetByteArrays)
    /// DATE: days since 1970-01-01.
    case date([Int32])
    /// TIME: ticks since midnight (MILLIS widened from INT32).
    case time([Int64], unit: ParquetTimeUnit, isAdjustedToUTC: Bool)
    /// TIMESTAMP (and legacy INT96, as nanoseconds): ticks since 1970-01-01T00:00:00.
    case timestamp([Int64], unit: ParquetTimeUnit, isAdjustedToUTC: Bool)
    /// DECIMAL: value = unscaled × 10^-scale.
    case decimal([Int128], precision: Int, scale: Int)
    /// The UNKNOWN type: every row is null; only the row count is kept.
    case null(count: Int)

    /// Number of rows.
    package var count: Int {
        switch self {
        case let .boolean(values): values.count
        case let .int32(values): values.count
        case let .int64(values): values.count
        case let .uint64(values): values.count
        case let .float(values): values.count
        case let .double(values): values.count
        case let .string(values): values.count
        case let .binary(values): values.count
        case let .date(values): values.count
        case let .time(values, _, _): values.count
        case let .timestamp(values, _, _): values.count
        case let .decimal(values, _, _): values.count
        case let .null(count): count
        }
    }

    /// Appends `other`, which must be the same case with the same parameters.
    ///
    /// Cheap: each payload array is taken out of `self` before it grows, so it is uniquely
    /// referenced and grows in place (amortized O(appended rows), not a copy of what is there).
    package mutating func append(contentsOf other: ParquetColumnValues) throws(ParquetError) {
        let mismatch = ParquetError(.invalidRequest, "cannot append column values of different types")
        // Checked first, so the payload is only taken out of `self` when the append succeeds.
        guard shape == other.shape else { throw mismatch }
        switch other {
        case let .boolean(theirs):
            guard case var .boolean(mine) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .boolean(mine)
        case let .int32(theirs):
            guard case var .int32(mine) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .int32(mine)
        case let .int64(theirs):
            guard case var .int64(mine) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .int64(mine)
        case let .uint64(theirs):
            guard case var .uint64(mine) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .uint64(mine)
        case let .float(theirs):
            guard case var .float(mine) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .float(mine)
        case let .double(theirs):
            guard case var .double(mine) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .double(mine)
        case let .string(theirs):
            guard case var .string(mine) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .string(mine)
        case let .binary(theirs):
            guard case var .binary(mine) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .binary(mine)
        case let .date(theirs):
            guard case var .date(mine) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .date(mine)
        case let .time(theirs, unit, utc):
            guard case .time(var mine, unit, utc) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .time(mine, unit: unit, isAdjustedToUTC: utc)
        case let .timestamp(theirs, unit, utc):
            guard case .timestamp(var mine, unit, utc) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .timestamp(mine, unit: unit, isAdjustedToUTC: utc)
        case let .decimal(theirs, precision, scale):
            guard case .decimal(var mine, precision, scale) = take() else { throw mismatch }
            mine.append(contentsOf: theirs)
            self = .decimal(mine, precision: precision, scale: scale)
        case let .null(theirs):
            guard case let .null(mine) = self else { throw mismatch }
            self = .null(count: mine + theirs)
        }
    }

    /// Moves the value out, leaving an empty placeholder, so the payload has a single owner.
    private mutating func take() -> ParquetColumnValues {
        let value = self
        self = .null(count: 0)
        return value
    }

    /// The case and its parameters, without the values: what must agree for an append.
    private enum Shape: Equatable {
        case boolean, int32, int64, uint64, float, double, string, binary, date, null
        case time(ParquetTimeUnit, Bool)
        case timestamp(ParquetTimeUnit, Bool)
        case decimal(Int, Int)
    }

    private var shape: Shape {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .uint64: .uint64
        case .float: .float
        case .double: .double
        case .string: .string
        case .binary: .binary
        case .date: .date
        case .null: .null
        case let .time(_, unit, utc): .time(unit, utc)
        case let .timestamp(_, unit, utc): .timestamp(unit, utc)
        case let .decimal(_, precision, scale): .decimal(precision, scale)
        }
    }
}
