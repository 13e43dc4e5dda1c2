import Foundation

/// An RFC 3339 timestamp kept to the nanosecond, whatever precision and offset it was written with. Alertmanager
/// writes Go's `time.Time` (up to nine fractional digits, `Z` or an offset); two spellings of one instant must
/// dedupe as one alert.
package struct RFC3339Timestamp: Sendable, Hashable {
    package var seconds: Int64
    package var nanoseconds: Int32

    /// Parses `2026-11-22T10:00:00Z`, `...:00.1Z`, `...:00.123456789+02:00` and the like; nil for anything else.
    package init?(_ text: String) {
        // ASCII digits only: `\d` would match any Unicode digit, which `Int` does not parse.
        let pattern =
            /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9})[0-9]*)?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))$/
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        var components = DateComponents()
        components.year = Int(match.1)
        components.month = Int(match.2)
        components.day = Int(match.3)
        components.hour = Int(match.4)
        components.minute = Int(match.5)
        components.second = Int(match.6)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Out-of-range fields would roll over into the next day or hour; RFC 3339 section 5.6 bounds them, and offsets too.
        guard let hour = components.hour, hour <= 23, let minute = components.minute, minute <= 59, let second = components.second, second <= 60
        else { return nil }
        if match.9 != nil {
            guard let hours = Int(match.10 ?? ""), hours <= 23, let minutes = Int(match.11 ?? ""), minutes <= 59 else { return nil }
        }
        guard let month = components.month, (1...12).contains(month), let date = calendar.date(from: components),
            calendar.component(.day, from: date) == components.day
        else { return nil }
        var seconds = Int64(date.timeIntervalSince1970)
        if match.9 != nil, let hours = Int64(match.10 ?? ""), let minutes = Int64(match.11 ?? "") {
            let offset = (hours * 3600 + minutes * 60) * (match.9 == "-" ? -1 : 1)
            seconds -= offset
        }
        let fraction = match.7.map(String.init) ?? ""
        guard let nanoseconds = fraction.isEmpty ? 0 : Int32(fraction.padding(toLength: 9, withPad: "0", startingAt: 0)) else { return nil }
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The instant in UTC with nine fractional digits: one spelling per instant.
    package var canonical: String {
        let date = Date(timeIntervalSince1970: TimeInterval(self.seconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return
            "\(String(format: "%04d", c.year ?? 0))-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second)).\(String(format: "%09d", self.nanoseconds))Z"
    }
}
