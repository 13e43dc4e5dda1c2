import Foundation

/// Why a cycle started: the trigger's kind, where it came from, its reason and, for detector and decay triggers,
/// their evidence. Every store writes it with the cycle, in the cycle's first transaction.
public struct TriggerDecision: CycleDecision, Equatable {
    public static let key = DecisionKey.trigger

    public var kind: TriggerKind
    public var source: String?
    public var reason: String?
    public var evidence: JSONValue?

    public init(_ trigger: Trigger) {
        self.kind = trigger.kind
        self.source = trigger.source
        self.reason = trigger.reason
        self.evidence = trigger.payload == .null ? nil : trigger.payload
    }

    /// What a trainer is told the cycle is for: the reason, else the kind of trigger.
    public var trainingReason: String { self.reason ?? self.kind.rawValue }
}
