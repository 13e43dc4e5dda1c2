import Foundation

/// What a trainer is asked to do, as sent to `POST {url}/train`.
public struct TrainingRequest: Sendable, Codable {
    package struct DataLocation: Sendable, Codable {
        package var reference: String
        package var current: String
    }

    package struct ChampionReference: Sendable, Codable {
        package var version: String
        package var modelURI: String

        enum CodingKeys: String, CodingKey {
            case version
            case modelURI = "model_uri"
        }
    }

    package var cycleId: String
    package var pipeline: String
    package var modelName: String
    package var data: DataLocation
    package var target: String
    package var features: [String]?
    /// The champion, so the trainer can score it on the same holdout as the challenger.
    package var champion: ChampionReference?
    package var params: [String: String]
    /// Why the cycle started (the trigger's reason), for trainers that log or label runs with it.
    package var reason: String?
    /// The cycle's record on the controller's API, where the drift summary is.
    package var cycleURL: String?

    enum CodingKeys: String, CodingKey {
        case pipeline, data, target, features, champion, params, reason
        case cycleId = "cycle_id"
        case modelName = "model_name"
        case cycleURL = "cycle_url"
    }
}

/// A training job's state, as returned by `GET {url}/jobs/{id}`.
public struct TrainingJobStatus: Sendable, Codable {
    public enum State: String, Sendable, Codable {
        case queued, running, succeeded, failed
    }

    /// Challenger and champion metrics, computed on the same holdout.
    public struct Metrics: Sendable, Codable {
        package var challenger: [String: Double]
        package var champion: [String: Double]?
    }

    package var job: String
    public var status: State
    package var metrics: Metrics?
    package var modelURI: String?
    package var error: String?
    package var holdoutRows: Int?
    /// The trainer's own verdict when it has more than succeeded/failed (Jenkins: UNSTABLE, ABORTED, NOT_BUILT,
    /// FAILURE, or CANCELLED for a queue item cancelled in Jenkins).
    package var result: String?
    /// Where a person can look: build page, console log, queue item.
    package var links: [String: String]?
    /// SHA-256 (hex) of the request body that created the job, as the trainer computed it: proof that a job found
    /// under a cycle's idempotency key was made from what the controller sent.
    package var requestDigest: String?

    enum CodingKeys: String, CodingKey {
        case job, status, metrics, error, result, links
        case modelURI = "model_uri"
        case holdoutRows = "holdout_rows"
        case requestDigest = "request_digest"
    }

    public init(
        job: String, status: State, metrics: Metrics? = nil, modelURI: String? = nil, error: String? = nil, holdoutRows: Int? = nil,
        result: String? = nil, links: [String: String]? = nil
    ) {
        self.job = job
        self.status = status
        self.metrics = metrics
        self.modelURI = modelURI
        self.error = error
        self.holdoutRows = holdoutRows
        self.result = result
        self.links = links
    }
}

/// The handles a cycle has recorded for its training job, and a way to record more. A trainer that learns a
/// handle in several steps (Jenkins: queue item, then build) records each one before its next call, so a
/// restart continues from it instead of starting the outside work again.
public struct TrainingHandles: Sendable {
    package var recorded: [String: String]
    private let persist: @Sendable (String, String) async throws -> Void

    package init(recorded: [String: String] = [:], persist: @escaping @Sendable (String, String) async throws -> Void = { _, _ in }) {
        self.recorded = recorded
        self.persist = persist
    }

    package subscript(key: String) -> String? { self.recorded[key] }

    package mutating func record(_ key: String, _ value: String) async throws {
        guard self.recorded[key] != value else { return }
        try await self.persist(key, value)
        self.recorded[key] = value
    }
}

/// Something that trains a challenger: the built-in trainer, a local HTTP trainer, Jenkins.
public protocol Trainer: Sendable {
    /// Starts a job. The idempotency key (the cycle id) makes a repeated call return the same job.
    func start(_ request: TrainingRequest, idempotencyKey: String) async throws -> String
    func status(jobId: String) async throws -> TrainingJobStatus
    /// As `start`, for trainers that record intermediate handles (the default ignores them).
    func start(_ request: TrainingRequest, idempotencyKey: String, handles: inout TrainingHandles) async throws -> String
    /// As `status`, for trainers that record intermediate handles (the default ignores them).
    func status(jobId: String, handles: inout TrainingHandles) async throws -> TrainingJobStatus
    /// Stops the job on the trainer (a state timed out). Returns false when the trainer cannot stop jobs.
    func abort(jobId: String, handles: TrainingHandles) async throws -> Bool
}

extension Trainer {
    public func start(_ request: TrainingRequest, idempotencyKey: String, handles: inout TrainingHandles) async throws -> String {
        try await self.start(request, idempotencyKey: idempotencyKey)
    }

    public func status(jobId: String, handles: inout TrainingHandles) async throws -> TrainingJobStatus {
        try await self.status(jobId: jobId)
    }

    public func abort(jobId: String, handles: TrainingHandles) async throws -> Bool { false }
}

/// Trainer failures; `isTransient` ones are retried within the state's budget.
package struct TrainerError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var isTransient: Bool

    package init(_ message: String, isTransient: Bool) {
        self.message = message
        self.isTransient = isTransient
    }

    package var description: String { self.message }
}
