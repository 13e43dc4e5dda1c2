import Foundation

/// What every store writes for a cycle a trigger starts.
enum NewCycle {
    /// The outcome of a cycle's first transition, into its initial state.
    static let startedOutcome = "started"

    /// The first transition's details: what kind of trigger started the cycle.
    static func startedDetails(_ trigger: Trigger) -> JSONValue {
        .object(["trigger": .string(trigger.kind.rawValue)])
    }

    /// The cycle's record starts with why it started: the trigger and, for detector or decay triggers, their evidence.
    static func initialDecisions(_ trigger: Trigger) -> JSONValue {
        .object((try? .recording(TriggerDecision(trigger))) ?? [:])
    }

    /// Time-ordered, collision-resistant cycle ids: `c` + milliseconds in base 36 + 6 random characters.
    static func id(now: Date) -> String {
        let millis = String(Int64(now.timeIntervalSince1970 * 1000), radix: 36)
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        let suffix = String((0..<6).map { _ in alphabet.randomElement()! })
        return "c\(millis)\(suffix)"
    }
}
