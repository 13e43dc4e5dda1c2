import Foundation

/// A standard five-field cron expression (`minute hour day-of-month month day-of-week`) evaluated in UTC:
/// `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, and lists. As in cron, when both day fields are
/// restricted a day matches if either does; day-of-week 0 and 7 are Sunday.
package struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool
    package let description: String

    package struct ParseError: Error, CustomStringConvertible {
        package var description: String
    }

    package init(_ text: String) throws(ParseError) {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(
                description:
                    "a cron expression has five fields (minute hour day-of-month month day-of-week), for example `*/15 * * * *`; got `\(text)`")
        }
        self.minutes = try Self.field(fields[0], name: "minute", range: 0...59)
        self.hours = try Self.field(fields[1], name: "hour", range: 0...23)
        self.days = try Self.field(fields[2], name: "day-of-month", range: 1...31)
        self.months = try Self.field(fields[3], name: "month", range: 1...12)
        self.weekdays = Set(try Self.field(fields[4], name: "day-of-week", range: 0...7).map { $0 % 7 })
        self.daysRestricted = fields[2] != "*"
        self.weekdaysRestricted = fields[4] != "*"
        self.description = fields.joined(separator: " ")
    }

    private static func field(_ text: String, name: String, range: ClosedRange<Int>) throws(ParseError) -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first else { throw ParseError(description: "bad \(name) field `\(text)`") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw ParseError(description: "bad step in the \(name) field `\(text)`") }
                step = parsed
            }
            var bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else if let dash = base.firstIndex(of: "-") {
                guard let low = Int(base[..<dash]), let high = Int(base[base.index(after: dash)...]), low <= high else {
                    throw ParseError(description: "bad range in the \(name) field `\(text)`")
                }
                bounds = low...high
            } else {
                guard let value = Int(base) else {
                    throw ParseError(description: "bad \(name) field `\(text)`; expected numbers, `*`, ranges or steps")
                }
                bounds = value...(pieces.count == 2 ? range.upperBound : value)
            }
            guard range.contains(bounds.lowerBound), range.contains(bounds.upperBound) else {
                throw ParseError(description: "the \(name) field `\(text)` is outside \(range.lowerBound)-\(range.upperBound)")
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }

    /// The first minute strictly after `date` that matches, or nil if none does within five years (`0 0 30 2 *`).
    package func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var minute = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        let limit = date.addingTimeInterval(5 * 366 * 86_400)
        while minute <= limit {
            let c = calendar.dateComponents([.month, .day, .weekday, .hour, .minute], from: minute)
            guard self.months.contains(c.month!) else {
                // Skip to the first day of the next month.
                let start = calendar.date(from: calendar.dateComponents([.year, .month], from: minute))!
                minute = calendar.date(byAdding: .month, value: 1, to: start)!
                continue
            }
            let dayMatches = self.days.contains(c.day!), weekdayMatches = self.weekdays.contains(c.weekday! - 1)
            let dayOK = self.daysRestricted && self.weekdaysRestricted ? (dayMatches || weekdayMatches) : (dayMatches && weekdayMatches)
            guard dayOK else {
                minute = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: minute))!
                continue
            }
            guard self.hours.contains(c.hour!) else {
                minute = Date(timeIntervalSince1970: ((minute.timeIntervalSince1970 / 3600).rounded(.down) + 1) * 3600)
                continue
            }
            if self.minutes.contains(c.minute!) { return minute }
            minute = minute.addingTimeInterval(60)
        }
        return nil
    }
}
