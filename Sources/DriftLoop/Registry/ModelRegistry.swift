import Foundation

/// One registered version of a model.
public struct ModelVersion: Sendable, Codable, Equatable {
    package var model: String
    package var version: String
    /// Where the trainer left the model (`file:///...`).
    package var sourceURI: String
    /// Where the registry keeps its own copy, when it keeps one.
    package var artifactURI: String?
    package var createdAt: Date
    package var tags: [String: String]
    package var metrics: [String: Double]

    enum CodingKeys: String, CodingKey {
        case model, version, tags, metrics
        case sourceURI = "source_uri"
        case artifactURI = "artifact_uri"
        case createdAt = "created_at"
    }
}

/// What a promotion did.
public struct PromotionResult: Sendable, Codable {
    package var version: String
    package var previousVersion: String?
    /// The version was already the champion (a resumed promotion): nothing moved.
    package var wasAlreadyChampion: Bool

    enum CodingKeys: String, CodingKey {
        case version
        case previousVersion = "previous_version"
        case wasAlreadyChampion = "was_already_champion"
    }
}

/// A model registry: versions, the champion pointer, and the previous champion for rollback.
public protocol ModelRegistry: Sendable {
    func champion(model: String) async throws -> ModelVersion?
    func previousChampion(model: String) async throws -> ModelVersion?
    /// Oldest first.
    func versions(model: String) async throws -> [ModelVersion]
    /// Registers a challenger. Idempotent per cycle: a second call for the same cycle returns the same version.
    func registerChallenger(model: String, sourceURI: String, cycleId: String, pipeline: String, metrics: [String: Double]) async throws
        -> ModelVersion
    /// Makes `version` the champion and the old champion the previous one. Idempotent, and verified by reading back.
    func promote(model: String, version: String) async throws -> PromotionResult
    /// Tags a version as rejected, with the reason.
    func reject(model: String, version: String, reason: String) async throws
    /// Moves the champion back to `version`, or to the previous champion. Returns (from, to).
    func rollback(model: String, to version: String?) async throws -> (from: ModelVersion, to: ModelVersion)
    func setTag(model: String, version: String, key: String, value: String) async throws
    /// Keeps why a cycle promoted or rejected `version` beside it, where the registry's own users look
    /// (MLflow: the version's run). The default keeps nothing: the cycle store has it all already.
    func recordDecisions(model: String, version: String, cycleId: String, verdict: String, decisions: [String: JSONValue]) async throws
}

extension ModelRegistry {
    public func recordDecisions(model: String, version: String, cycleId: String, verdict: String, decisions: [String: JSONValue]) async throws {}
}

/// Registry failures with what to do about them.
package struct RegistryError: Error, Sendable, CustomStringConvertible {
    package var message: String
    /// Worth retrying (the registry was unreachable or answered 5xx).
    package var isTransient: Bool

    package init(_ message: String, isTransient: Bool = false) {
        self.message = message
        self.isTransient = isTransient
    }

    package var description: String { self.message }
}
