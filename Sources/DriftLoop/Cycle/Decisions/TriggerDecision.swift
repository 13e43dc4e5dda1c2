import Foundation

/// Why a cycle started: the trigger's kind, where it came from, its reason and, for detector and decay triggers,
/// their evidence. Every store writes it with the cycle, in the cycle's first transaction.
package struct TriggerDecision: CycleDecision, Equatable {
    package static let key = DecisionKey.trigger

    package var kind: TriggerKind
    package var source: String?
    package var reason: String?
    package var evidence: JSONValue?

    package init(_ trigger: Trigger) {
        self.kind = trigger.kind
        self.source = trigger.source
        self.reason = trigger.reason
        self.evidence = trigger.payload == .null ? nil : trigger.payload
    }

    /// What a trainer is told the cycle is for: the reason, else the kind of trigger.
    package var trainingReason: String { self.reason ?? self.kind.rawValue }
}
