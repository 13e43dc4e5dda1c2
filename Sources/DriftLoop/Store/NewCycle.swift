import Foundation

/// What every store writes for a cycle a trigger starts.
enum NewCycle {
    /// The cycle's record starts with why it started: the trigger and, for detector or decay triggers, their evidence.
    static func initialDecisions(_ trigger: Trigger) -> JSONValue {
        var record: [String: JSONValue] = ["kind": .string(trigger.kind.rawValue)]
        if let source = trigger.source { record["source"] = .string(source) }
        if let reason = trigger.reason { record["reason"] = .string(reason) }
        if trigger.payload != .null { record["evidence"] = trigger.payload }
        return .object(["trigger": .object(record)])
    }

    /// Time-ordered, collision-resistant cycle ids: `c` + milliseconds in base 36 + 6 random characters.
    static func id(now: Date) -> String {
        let millis = String(Int64(now.timeIntervalSince1970 * 1000), radix: 36)
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        let suffix = String((0..<6).map { _ in alphabet.randomElement()! })
        return "c\(millis)\(suffix)"
    }
}
