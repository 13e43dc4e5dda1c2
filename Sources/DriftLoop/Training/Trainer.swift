import Foundation

/// What a trainer is asked to do, as sent to `POST {url}/train`.
public struct TrainingRequest: Sendable, Codable {
    public struct DataLocation: Sendable, Codable {
        public var reference: String
        public var current: String
    }

    public struct ChampionReference: Sendable, Codable {
        public var version: String
        public var modelURI: String

        enum CodingKeys: String, CodingKey {
            case version
            case modelURI = "model_uri"
        }
    }

    public var cycleId: String
    public var pipeline: String
    public var modelName: String
    public var data: DataLocation
    public var target: String
    public var features: [String]?
    /// The champion, so the trainer can score it on the same holdout as the challenger.
    public var champion: ChampionReference?
    public var params: [String: String]
    /// Why the cycle started (the trigger's reason), for trainers that log or label runs with it.
    public var reason: String?
    /// The cycle's record on the controller's API, where the drift summary is.
    public var cycleURL: String?

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
        public var challenger: [String: Double]
        public var champion: [String: Double]?
    }

    public var job: String
    public var status: State
    public var metrics: Metrics?
    public var modelURI: String?
    public var error: String?
    public var holdoutRows: Int?
    /// The trainer's own verdict when it has more than succeeded/failed (Jenkins: UNSTABLE, ABORTED, NOT_BUILT,
    /// FAILURE, or CANCELLED for a queue item cancelled in Jenkins).
    public var result: String?
    /// Where a person can look: build page, console log, queue item.
    public var links: [String: String]?
    /// SHA-256 (hex) of the request body that created the job, as the trainer computed it: proof that a job found
    /// under a cycle's idempotency key was made from what the controller sent.
    public var requestDigest: String?

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
    public var recorded: [String: String]
    private let persist: @Sendable (String, String) async throws -> Void

    public init(recorded: [String: String] = [:], persist: @escaping @Sendable (String, String) async throws -> Void = { _, _ in }) {
        self.recorded = recorded
        self.persist = persist
    }

    public subscript(key: String) -> String? { self.recorded[key] }

    public mutating func record(_ key: String, _ value: String) async throws {
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
public struct TrainerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var isTransient: Bool

    public init(_ message: String, isTransient: Bool) {
        self.message = message
        self.isTransient = isTransient
    }

    public var description: String { self.message }
}
