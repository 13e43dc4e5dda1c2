/// Calendar arithmetic for rendering DATE, TIME and TIMESTAMP values in the proleptic
/// Gregorian calendar, without Foundation (whose Date cannot hold every Parquet value exactly).
enum CivilTime {
    static let secondsPerDay: Int64 = 86_400

    /// Floor division and a non-negative remainder: -1 µs is 23:59:59.999999 of the day before.
    static func floorDivide(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        precondition(divisor > 0)
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    /// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, by: 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// `YYYY-MM-DD`; years outside 0...9999 keep all their digits and sign.
    static func dateText(daysSinceEpoch days: Int64) -> String {
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let yearText = year < 0 ? "-" + padded(-year, width: 4) : padded(year, width: 4)
        return yearText + "-" + padded(Int64(month), width: 2) + "-" + padded(Int64(day), width: 2)
    }

    /// `HH:MM:SS.fff…` for a count of `unit` ticks within a day.
    static func timeOfDayText(ticks: Int64, unit: ParquetTimeUnit) -> String {
        let (seconds, fraction) = floorDivide(ticks, by: unit.ticksPerSecond)
        let hours = seconds / 3600
        let minutes = (seconds % 3600) / 60
        let secs = seconds % 60
        return padded(hours, width: 2) + ":" + padded(minutes, width: 2) + ":" + padded(secs, width: 2)
            + "." + padded(fraction, width: unit.fractionDigits)
    }

    /// `YYYY-MM-DDTHH:MM:SS.fff…` (3/6/9 fraction digits), with `Z` for UTC-adjusted values.
    static func timestampText(ticks: Int64, unit: ParquetTimeUnit, isAdjustedToUTC: Bool) -> String {
        let (seconds, fraction) = floorDivide(ticks, by: unit.ticksPerSecond)
        let (days, secondOfDay) = floorDivide(seconds, by: secondsPerDay)
        let text =
            dateText(daysSinceEpoch: days) + "T"
            + timeOfDayText(ticks: secondOfDay * unit.ticksPerSecond + fraction, unit: unit)
        return isAdjustedToUTC ? text + "Z" : text
    }

    static func padded(_ value: Int64, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
