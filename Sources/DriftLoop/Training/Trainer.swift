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

    enum CodingKeys: String, CodingKey {
        case pipeline, data, target, features, champion, params
        case cycleId = "cycle_id"
        case modelName = "model_name"
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

    enum CodingKeys: String, CodingKey {
        case job, status, metrics, error
        case modelURI = "model_uri"
        case holdoutRows = "holdout_rows"
    }

    public init(job: String, status: State, metrics: Metrics? = nil, modelURI: String? = nil, error: String? = nil, holdoutRows: Int? = nil) {
        self.job = job
        self.status = status
        self.metrics = metrics
        self.modelURI = modelURI
        self.error = error
        self.holdoutRows = holdoutRows
    }
}

/// Something that trains a challenger: the built-in trainer, a local HTTP trainer, Jenkins.
public protocol Trainer: Sendable {
    /// Starts a job. The idempotency key (the cycle id) makes a repeated call return the same job.
    func start(_ request: TrainingRequest, idempotencyKey: String) async throws -> String
    func status(jobId: String) async throws -> TrainingJobStatus
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
