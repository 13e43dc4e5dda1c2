import Foundation

/// One pass of a pipeline's state machine, as stored.
public struct CycleRecord: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case running, finished
    }

    public var id: String
    public var pipeline: String
    /// Kind of the trigger that started it.
    public var kind: TriggerKind
    public var reason: String?
    /// Current state; for a finished cycle, its terminal state.
    public var state: String
    public var status: Status
    public var outcome: CycleOutcome?
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    /// Inputs and verdicts of every decision, keyed by what decided (`drift`, `evaluation`, `promotion`, ...).
    public var decisions: [String: JSONValue]
    /// External handles recorded before they are used (trainer job id, registry version), so a restart reuses them.
    public var handles: [String: String]
    /// Set by a cancel request; the controller ends the cycle as cancelled at its next step.
    public var cancelRequested: Bool
    /// Why the cycle failed, when it did.
    public var failure: String?
}

/// One move of a cycle from one state to the next. Append-only.
public struct TransitionRecord: Sendable, Codable {
    public var id: Int64
    public var cycleId: String
    public var from: String?
    public var to: String
    public var outcome: String
    public var at: Date
    public var details: JSONValue
}

/// A change of a model's champion: a promotion or a rollback.
public struct ChampionChange: Sendable, Codable {
    public enum Kind: String, Sendable, Codable { case promotion, rollback }
    public var model: String
    public var version: String
    public var previousVersion: String?
    public var cycleId: String?
    public var kind: Kind
    public var at: Date
    /// Who made the change: `controller` or the user named in the request.
    public var actor: String
    public var reason: String?

    public init(model: String, version: String, previousVersion: String?, cycleId: String?, kind: Kind, at: Date, actor: String, reason: String?) {
        self.model = model
        self.version = version
        self.previousVersion = previousVersion
        self.cycleId = cycleId
        self.kind = kind
        self.at = at
        self.actor = actor
        self.reason = reason
    }
}

/// One step of a cycle to commit: the move, and what it decided.
public struct TransitionCommit: Sendable, Equatable {
    public var cycleId: String
    public var from: String
    public var to: String
    public var outcome: String
    public var details: JSONValue
    /// Decision entries merged into the cycle's record in the same transaction.
    public var decisions: [String: JSONValue]
    /// Set when `to` is terminal: the cycle finishes with this outcome.
    public var finishing: CycleOutcome?
    public var failure: String?

    public init(
        cycleId: String, from: String, to: String, outcome: String, details: JSONValue = .null, decisions: [String: JSONValue] = [:],
        finishing: CycleOutcome? = nil, failure: String? = nil
    ) {
        self.cycleId = cycleId
        self.from = from
        self.to = to
        self.outcome = outcome
        self.details = details
        self.decisions = decisions
        self.finishing = finishing
        self.failure = failure
    }
}
