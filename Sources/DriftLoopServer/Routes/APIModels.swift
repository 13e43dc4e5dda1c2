import DriftLoop
import Foundation

/// Body of `POST /v1/pipelines/{name}/retrain`.
struct RetrainRequest: ClosedRequestBody {
    var reason: String?
    var requestedBy: String?
    var force: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case reason, force
        case requestedBy = "requested_by"
    }
}

/// Body of `POST /v1/webhooks/drift`: a drift event from any monitor.
struct DriftWebhookEvent: Decodable {
    var pipeline: String
    var source: String?
    /// The event's identity at its source; a repeated event joins the first one's cycle.
    var eventId: String?
    var reason: String?
    var force: Bool?
    var payload: JSONValue?

    enum CodingKeys: String, CodingKey {
        case pipeline, source, reason, force, payload
        case eventId = "event_id"
    }
}

/// Body of `POST /v1/pipelines/{name}/rollback`.
struct RollbackRequest: ClosedRequestBody {
    var toVersion: String?
    var reason: String?
    var actor: String?
    /// Roll back to a version that was never champion, or was rejected: an explicit choice, never the default.
    var anyVersion: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case reason, actor
        case toVersion = "to_version"
        case anyVersion = "any_version"
    }
}

/// Body of `POST /v1/pipelines/{name}/pause` and `/resume`; both fields optional.
struct PauseRequest: ClosedRequestBody {
    var actor: String?
    var reason: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case actor, reason
    }
}

struct PauseResponse: Encodable {
    var pipeline: String
    var paused: Bool
    /// False when the pipeline already was in that state.
    var changed: Bool
    var pause: PipelinePause?
}

/// Body of `POST /v1/cycles/{id}/approve` and `/reject`.
struct ApprovalRequest: ClosedRequestBody {
    var approver: String
    var comment: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case approver, comment
    }
}

/// The answer to an accepted trigger.
struct TriggerAccepted: Encodable {
    var pipeline: String
    var cycleId: String
    var triggerId: Int64
    var disposition: TriggerDisposition

    enum CodingKeys: String, CodingKey {
        case pipeline, disposition
        case cycleId = "cycle_id"
        case triggerId = "trigger_id"
    }
}

/// A cycle as listed.
struct CycleSummary: Encodable {
    var id: String
    var pipeline: String
    var kind: TriggerKind
    var reason: String?
    var state: String
    var status: CycleRecord.Status
    var outcome: CycleOutcome?
    var createdAt: Date
    var updatedAt: Date
    var finishedAt: Date?
    var failure: String?

    init(_ cycle: CycleRecord) {
        self.id = cycle.id
        self.pipeline = cycle.pipeline
        self.kind = cycle.kind
        self.reason = cycle.reason
        self.state = cycle.state
        self.status = cycle.status
        self.outcome = cycle.outcome
        self.createdAt = cycle.createdAt
        self.updatedAt = cycle.updatedAt
        self.finishedAt = cycle.finishedAt
        self.failure = cycle.failure
    }

    enum CodingKeys: String, CodingKey {
        case id, pipeline, kind, reason, state, status, outcome, failure
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case finishedAt = "finished_at"
    }
}

/// A cycle with everything it did and decided.
struct CycleDetail: Encodable {
    var cycle: CycleSummary
    var decisions: [String: JSONValue]
    var handles: [String: String]
    var cancelRequested: Bool
    var transitions: [TransitionView]
    /// The first `APIRoutes.triggersShown` triggers, oldest first.
    var triggers: [TriggerView]
    var triggersTotal: Int
    /// Where the next page of triggers is, when there are more.
    var moreTriggers: String?

    enum CodingKeys: String, CodingKey {
        case cycle, decisions, handles, transitions, triggers
        case cancelRequested = "cancel_requested"
        case triggersTotal = "triggers_total"
        case moreTriggers = "more_triggers"
    }
}

/// `GET /v1/cycles/{id}/triggers`.
struct TriggerPage: Encodable {
    var cycleId: String
    var triggers: [TriggerView]
    var next: String?

    enum CodingKeys: String, CodingKey {
        case triggers, next
        case cycleId = "cycle_id"
    }
}

struct TransitionView: Encodable {
    var from: String?
    var to: String
    var outcome: String
    var at: Date
    var details: JSONValue

    init(_ record: TransitionRecord) {
        self.from = record.from
        self.to = record.to
        self.outcome = record.outcome
        self.at = record.at
        self.details = record.details
    }
}

struct TriggerView: Encodable {
    var id: Int64
    var kind: TriggerKind
    var source: String?
    var reason: String?
    var dedupKey: String?
    var receivedAt: Date
    var disposition: TriggerDisposition

    init(_ record: TriggerRecord) {
        self.id = record.id
        self.kind = record.trigger.kind
        self.source = record.trigger.source
        self.reason = record.trigger.reason
        self.dedupKey = record.trigger.dedupKey
        self.receivedAt = record.receivedAt
        self.disposition = record.disposition
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, source, reason, disposition
        case dedupKey = "dedup_key"
        case receivedAt = "received_at"
    }
}

/// A pipeline as listed: what it watches, its champion and its latest cycle.
struct PipelineSummary: Encodable {
    var name: String
    var model: String
    var trainer: String
    var registry: String
    var cooldownSeconds: Double
    var champion: ModelVersion?
    var lastCycle: CycleSummary?
    /// Paused pipelines keep their cycles where they are; `pause` says who paused it and why.
    var paused: Bool
    var pause: PipelinePause?

    init(
        name: String, model: String, trainer: String, registry: String, cooldownSeconds: Double, champion: ModelVersion?, lastCycle: CycleSummary?,
        pause: PipelinePause?
    ) {
        self.name = name
        self.model = model
        self.trainer = trainer
        self.registry = registry
        self.cooldownSeconds = cooldownSeconds
        self.champion = champion
        self.lastCycle = lastCycle
        self.paused = pause != nil
        self.pause = pause
    }

    enum CodingKeys: String, CodingKey {
        case name, model, trainer, registry, champion, paused, pause
        case cooldownSeconds = "cooldown_seconds"
        case lastCycle = "last_cycle"
    }
}

/// A pipeline in full: the summary plus its states, registry history and recent cycles.
struct PipelineDetail: Encodable {
    var pipeline: PipelineSummary
    var initialState: String
    var states: [StateView]
    var previousChampion: ModelVersion?
    var versions: [ModelVersion]
    var championHistory: [ChampionChange]
    var recentCycles: [CycleSummary]
    var mermaid: String
    var monitoring: MonitoringView?

    enum CodingKeys: String, CodingKey {
        case pipeline, states, versions, mermaid, monitoring
        case initialState = "initial_state"
        case previousChampion = "previous_champion"
        case championHistory = "champion_history"
        case recentCycles = "recent_cycles"
    }
}

/// A pipeline's feedback monitoring: what it watches and how far it has read.
struct MonitoringView: Encodable {
    var policy: MonitoringPolicy
    /// The last labelled feedback record (in label order) the monitors have consumed.
    var labelledThrough: Int64

    enum CodingKeys: String, CodingKey {
        case policy
        case labelledThrough = "labelled_through"
    }
}

struct StateView: Encodable {
    var name: String
    var action: String?
    var terminal: CycleOutcome?
    var transitions: [String: String]
    var timeoutSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case name, action, terminal, transitions
        case timeoutSeconds = "timeout_seconds"
    }
}
