import Foundation

/// What a cycle decided at one step, kept in the cycle's record under its key (`decisions.<key>` in the API and the
/// stores). Each decision is a Codable value; its JSON is the shape stores already hold, so old records stay readable.
package protocol CycleDecision: Codable, Sendable {
    static var key: DecisionKey { get }
}

/// The keys of a cycle's `decisions` object, one per kind of decision.
package enum DecisionKey: String, Sendable, CaseIterable {
    /// Why the cycle started (``TriggerDecision``).
    case trigger
    /// The drift check's report (``DriftReport``).
    case drift
    /// The training job's final status and metrics (``TrainingJobStatus``).
    case training
    /// Challenger against champion, rule by rule (``EvaluationVerdict``).
    case evaluation
    /// What the promotion moved (``PromotionResult``).
    case promotion
    /// The version rejected and why (``RejectionDecision``).
    case rejection
    /// A person's verdict at an `approve` state (``ApprovalDecision``).
    case approval
    /// How the observe window ended (``ObservationDecision``).
    case observation
    /// A manual rollback (``RollbackDecision``).
    case rollback
}

extension CycleRecord {
    /// The cycle's decision of type `D`, when it has one that reads as `D`.
    package func decision<D: CycleDecision>(_ type: D.Type) -> D? {
        self.decisions.decision(type)
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The decision of type `D` in a cycle's `decisions` object, when it has one that reads as `D`.
    package func decision<D: CycleDecision>(_ type: D.Type) -> D? {
        try? self[D.key.rawValue]?.decoded(as: type)
    }

    /// A `decisions` object holding one decision.
    package static func recording(_ decision: some CycleDecision) throws -> [String: JSONValue] {
        [type(of: decision).key.rawValue: try JSONValue.encoding(decision)]
    }
}
