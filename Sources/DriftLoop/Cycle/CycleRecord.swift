import Foundation

/// One pass of a pipeline's state machine, as stored.
public struct CycleRecord: Sendable, Codable {
    package enum Status: String, Sendable, Codable {
        case running, finished
    }

    package var id: String
    package var pipeline: String
    /// Kind of the trigger that started it.
    package var kind: TriggerKind
    package var reason: String?
    /// Current state; for a finished cycle, its terminal state.
    package var state: String
    package var status: Status
    package var outcome: CycleOutcome?
    package var createdAt: Date
    package var updatedAt: Date
    package var finishedAt: Date?
    /// Inputs and verdicts of every decision, keyed by what decided (`drift`, `evaluation`, `promotion`, ...).
    package var decisions: [String: JSONValue]
    /// External handles recorded before they are used (trainer job id, registry version), so a restart reuses them.
    package var handles: [String: String]
    /// Set by a cancel request; the controller ends the cycle as cancelled at its next step.
    package var cancelRequested: Bool
    /// Why the cycle failed, when it did.
    package var failure: String?

    /// The API's snake_case, for `driftloop export` too.
    enum CodingKeys: String, CodingKey {
        case id, pipeline, kind, reason, state, status, outcome, decisions, handles, failure
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case finishedAt = "finished_at"
        case cancelRequested = "cancel_requested"
    }
}

/// One move of a cycle from one state to the next. Append-only.
public struct TransitionRecord: Sendable, Codable {
    package var id: Int64
    package var cycleId: String
    package var from: String?
    package var to: String
    package var outcome: String
    package var at: Date
    package var details: JSONValue

    enum CodingKeys: String, CodingKey {
        case id, from, to, outcome, at, details
        case cycleId = "cycle_id"
    }
}

/// A change of a model's champion: a promotion or a rollback.
public struct ChampionChange: Sendable, Codable {
    package enum Kind: String, Sendable, Codable { case promotion, rollback }
    package var model: String
    package var version: String
    package var previousVersion: String?
    package var cycleId: String?
    package var kind: Kind
    package var at: Date
    /// Who made the change: `controller` or the user named in the request.
    package var actor: String
    package var reason: String?

    enum CodingKeys: String, CodingKey {
        case model, version, kind, at, actor, reason
        case previousVersion = "previous_version"
        case cycleId = "cycle_id"
    }

    package init(model: String, version: String, previousVersion: String?, cycleId: String?, kind: Kind, at: Date, actor: String, reason: String?) {
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
    package var cycleId: String
    package var from: String
    package var to: String
    package var outcome: String
    package var details: JSONValue
    /// Decision entries merged into the cycle's record in the same transaction.
    package var decisions: [String: JSONValue]
    /// Set when `to` is terminal: the cycle finishes with this outcome.
    package var finishing: CycleOutcome?
    package var failure: String?

    package init(
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
