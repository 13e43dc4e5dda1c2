import Foundation

/// A manual rollback of the champion (`POST /v1/pipelines/{name}/rollback`, `driftloop rollback`), recorded as a
/// finished cycle of kind `rollback`.
package struct RollbackDecision: CycleDecision, Equatable {
    package static let key = DecisionKey.rollback

    package var fromVersion: String?
    package var toVersion: String
    package var actor: String?
    package var reason: String?
    /// The target was not an earlier champion: the caller asked for any version.
    package var anyVersion: Bool

    package init(fromVersion: String, toVersion: String, actor: String, reason: String?, anyVersion: Bool) {
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.actor = actor
        self.reason = reason
        self.anyVersion = anyVersion
    }

    enum CodingKeys: String, CodingKey {
        case actor, reason
        case fromVersion = "from_version"
        case toVersion = "to_version"
        case anyVersion = "any_version"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.fromVersion = try container.decodeIfPresent(String.self, forKey: .fromVersion)
        self.toVersion = try container.decode(String.self, forKey: .toVersion)
        self.actor = try container.decodeIfPresent(String.self, forKey: .actor)
        self.reason = try container.decodeIfPresent(String.self, forKey: .reason)
        self.anyVersion = try container.decodeIfPresent(Bool.self, forKey: .anyVersion) ?? false
    }

    /// `reason` is written as null when absent, as the API has always answered.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.fromVersion, forKey: .fromVersion)
        try container.encode(self.toVersion, forKey: .toVersion)
        try container.encode(self.actor, forKey: .actor)
        try container.encode(self.reason, forKey: .reason)
        try container.encode(self.anyVersion, forKey: .anyVersion)
    }

    /// "champion rolled back to version 3 from version 4 by alice: bad latency".
    package var text: String {
        var text = "champion rolled back to version \(self.toVersion)"
        if let from = self.fromVersion { text += " from version \(from)" }
        if let actor = self.actor { text += " by \(actor)" }
        if let reason = self.reason { text += ": \(reason)" }
        return text
    }
}
