import DriftLoop
import Foundation

/// How the status page writes numbers, times and transition details: short, and the same everywhere.
enum StatusFormat {
    /// A figure with about four significant digits; p-values far below 0.001 in exponent form.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if value == 0 { return "0" }
        if abs(value) < 0.001 || abs(value) >= 100_000 { return String(format: "%.3g", value) }
        return String(format: "%.4g", value)
    }

    /// A UTC time to the second, e.g. `2025-06-01 14:03:27 UTC`.
    static func time(_ date: Date) -> String {
        let components = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d UTC", components.year ?? 0, components.month ?? 0, components.day ?? 0, components.hour ?? 0,
            components.minute ?? 0, components.second ?? 0)
    }

    /// The time of day alone, `14:03:27 UTC`, for where the date is shown beside it.
    static func clock(_ date: Date) -> String {
        let components = Calendar.utc.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d UTC", components.hour ?? 0, components.minute ?? 0, components.second ?? 0)
    }

    /// The date alone, `2025-06-01`.
    static func day(_ date: Date) -> String {
        String(Self.time(date).prefix(10))
    }

    /// How long ago, coarsely: `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`.
    static func ago(_ date: Date, now: Date) -> String {
        let seconds = max(0, now.timeIntervalSince(date))
        return Self.duration(seconds) + " ago"
    }

    /// A length of time: `850 ms`, `12 s`, `5 min 3 s`, `3 h 20 min`, `2 d 4 h`.
    static func duration(_ seconds: Double) -> String {
        let seconds = max(0, seconds)
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        let whole = Int(seconds.rounded(.down))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return whole % 60 == 0 ? "\(whole / 60) min" : "\(whole / 60) min \(whole % 60) s" }
        if whole < 86_400 { return "\(whole / 3600) h \((whole % 3600) / 60) min" }
        return "\(whole / 86_400) d \((whole % 86_400) / 3600) h"
    }

    /// A transition's details in one line, keys sorted: `drifted_columns: 3 · share: 0.375`. Nulls are left out,
    /// nested values are shown as compact JSON, and the whole is cut at `limit` characters.
    static func details(_ details: JSONValue, limit: Int = 240) -> String {
        let text: String
        switch details {
        case .object(let object):
            text = object.keys.sorted().compactMap { key in
                guard let value = object[key], value != .null else { return nil }
                return "\(key): \(Self.scalar(value))"
            }.joined(separator: " · ")
        case .null:
            text = ""
        default:
            text = Self.scalar(details)
        }
        return text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let number): Self.number(number)
        case .bool(let flag): flag ? "yes" : "no"
        case .null: "–"
        case .array, .object: value.jsonText
        }
    }
}

extension Calendar {
    fileprivate static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return calendar
    }()
}
