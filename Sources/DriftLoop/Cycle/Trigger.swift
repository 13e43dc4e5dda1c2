import Foundation

/// What started, or asked to start, a cycle.
public enum TriggerKind: String, Sendable, Codable, CaseIterable {
    /// "Retrain now" from the CLI or API.
    case manual
    /// A generic drift webhook.
    case driftWebhook = "drift_webhook"
    case alertmanager
    case schedule
    case conceptDrift = "concept_drift"
    case performanceDecay = "performance_decay"
    /// A champion rollback, recorded as a cycle of its own.
    case rollback
}

/// A request to run a pipeline, as received. Stored before it is acknowledged.
public struct Trigger: Sendable, Codable {
    package var kind: TriggerKind
    /// Who or what sent it (a user, a webhook source).
    package var source: String?
    /// Free text shown in the cycle's record.
    package var reason: String?
    /// Identity of the event at its source; a second trigger with the same key joins the first one's cycle.
    package var dedupKey: String?
    /// Start a cycle even inside the cooldown (never while one runs).
    package var force: Bool
    /// The payload as received, kept for the record.
    package var payload: JSONValue

    public init(
        kind: TriggerKind, source: String? = nil, reason: String? = nil, dedupKey: String? = nil, force: Bool = false, payload: JSONValue = .null
    ) {
        self.kind = kind
        self.source = source
        self.reason = reason
        self.dedupKey = dedupKey
        self.force = force
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case kind, source, reason, force, payload
        case dedupKey = "dedup_key"
        /// How triggers stored before the API-wide snake_case spelled `dedup_key`; still read, never written.
        case legacyDedupKey = "dedupKey"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try container.decode(TriggerKind.self, forKey: .kind)
        self.source = try container.decodeIfPresent(String.self, forKey: .source)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.dedupKey =
            try container.decodeIfPresent(String.self, forKey: .dedupKey) ?? container.decodeIfPresent(String.self, forKey: .legacyDedupKey)
        self.force = try container.decodeIfPresent(Bool.self, forKey: .force) ?? false
        self.payload = try container.decodeIfPresent(JSONValue.self, forKey: .payload) ?? .null
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.kind, forKey: .kind)
        try container.encodeIfPresent(self.source, forKey: .source)
        try container.encodeIfPresent(self.reason, forKey: .reason)
        try container.encodeIfPresent(self.dedupKey, forKey: .dedupKey)
        try container.encode(self.force, forKey: .force)
        try container.encode(self.payload, forKey: .payload)
    }
}

/// What happened to an accepted trigger.
package enum TriggerDisposition: String, Sendable, Codable {
    /// It started a new cycle.
    case started
    /// A cycle was running; the trigger was attached to it.
    case joinedRunning = "joined_running"
    /// The last cycle ended within the cooldown; the trigger was attached to it.
    case joinedCooldown = "joined_cooldown"
    /// The same event (same dedup key) was already accepted.
    case duplicate
}

/// The store's answer to an accepted trigger.
public struct TriggerAcceptance: Sendable, Codable {
    package var triggerId: Int64
    public var cycleId: String
    package var disposition: TriggerDisposition

    enum CodingKeys: String, CodingKey {
        case triggerId = "trigger_id"
        case cycleId = "cycle_id"
        case disposition
    }
}

/// A stored trigger.
public struct TriggerRecord: Sendable, Codable {
    package var id: Int64
    package var pipeline: String
    package var trigger: Trigger
    package var receivedAt: Date
    package var cycleId: String
    package var disposition: TriggerDisposition

    enum CodingKeys: String, CodingKey {
        case id, pipeline, trigger, disposition
        case receivedAt = "received_at"
        case cycleId = "cycle_id"
    }
}
