extension ParquetColumnValues {
    /// Row `row`'s value as the fixture CSV format writes it, unquoted (nil for the UNKNOWN type): for a caller that
    /// needs one value as text, such as a drift check reading a date column as categories.
    package func text(at row: Int) -> String? {
        switch self {
        case let .boolean(values): values[row] ? "true" : "false"
        case let .int32(values): String(values[row])
        case let .int64(values): String(values[row])
        case let .uint64(values): String(values[row])
        case let .float(values): PythonFloatText.render(Double(values[row]))
        case let .double(values): PythonFloatText.render(values[row])
        case let .string(values): values.string(at: row)
        case let .binary(values):
            "0x" + values[row].map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
        case let .date(values): CivilTime.dateText(daysSinceEpoch: Int64(values[row]))
        case let .time(values, unit, utc): CivilTime.timeOfDayText(ticks: values[row], unit: unit) + (utc ? "Z" : "")
        case let .timestamp(values, unit, utc): CivilTime.timestampText(ticks: values[row], unit: unit, isAdjustedToUTC: utc)
        case let .decimal(values, _, scale): DecimalText.render(unscaled: values[row], scale: scale)
        case .null: nil
        }
    }

    /// Row `row`'s value as a number, where it has one: integers and floats as they are, booleans as 0 and 1, dates
    /// as days, times and timestamps as ticks of their unit since midnight or 1970, decimals as unscaled × 10^−scale.
    package func number(at row: Int) -> Double? {
        switch self {
        case let .boolean(values): values[row] ? 1 : 0
        case let .int32(values): Double(values[row])
        case let .int64(values): Double(values[row])
        case let .uint64(values): Double(values[row])
        case let .float(values): Double(values[row])
        case let .double(values): values[row]
        case let .date(values): Double(values[row])
        case let .time(values, _, _): Double(values[row])
        case let .timestamp(values, _, _): Double(values[row])
        case let .decimal(values, _, scale): Double(values[row]) / Self.powerOfTen(scale)
        case .string, .binary, .null: nil
        }
    }

    private static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(0, exponent) { result *= 10 }
        return result
    }
}
