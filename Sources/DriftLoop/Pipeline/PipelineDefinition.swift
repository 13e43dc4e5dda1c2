import DriftStats
import Foundation

/// A pipeline as declared in `pipelines/NAME.yaml`: what to watch, how to retrain, and the state machine.
public struct PipelineDefinition: Sendable {
    /// Pipeline name: the file name without `.yaml`, unless `name:` says otherwise.
    public var name: String
    /// The file it came from.
    package var file: String
    /// Registered model name in the registry.
    package var model: String
    package var data: DataSettings
    package var drift: DriftPolicy
    package var trainer: TrainerSettings
    package var evaluation: EvaluationPolicy
    package var registry: RegistrySettings
    /// What an `observe` state watches after a promotion; nil when the pipeline declares no `observe:`.
    package var observation: ObservationPolicy?
    /// When the pipeline checks its data for drift by itself; nil for none.
    package var schedule: ScheduleSettings?
    /// Production feedback to watch for concept drift and performance decay; nil when the pipeline declares none.
    package var monitoring: MonitoringPolicy?
    /// After a cycle ends, new triggers within this time join it instead of starting another. Default: 10m.
    package var cooldown: Duration
    /// The state every cycle starts in. Default: the first state declared.
    package var initialState: String
    /// States by name.
    package var states: [String: StateDefinition]
    /// State names in file order, for graphs and listings.
    package var stateOrder: [String]
    /// How long production feedback is kept; nil keeps it all.
    package var feedbackRetention: FeedbackRetention? = nil

    /// The terminal state that ends a cycle with this outcome, if declared.
    package func terminalState(for outcome: CycleOutcome) -> String? {
        self.stateOrder.first { self.states[$0]?.terminal == outcome }
    }
}

/// Where a pipeline's data is: CSV files or URLs.
package struct DataSettings: Sendable {
    /// The reference (training-time) data as a trainer is sent it: a location, or `data.train.reference`.
    package var reference: String
    /// The current (production) data as a trainer is sent it: a location, or `data.train.current`.
    package var current: String
    /// Label column, used for training and left out of data drift. Default: `label`.
    package var target: String
    /// Prediction columns, whose drift is reported separately as prediction drift. Default: none.
    package var predictionColumns: [String]
    /// Where drift checks read the reference: a location (file, URL, S3; CSV or Parquet) or a PostgreSQL query.
    package var referenceSource: DataSourceDeclaration
    /// Where drift checks read the current data: a location, a PostgreSQL query, or the recent feedback window.
    package var currentSource: DataSourceDeclaration
    /// Every location the file names, with its key and place, for `pipeline validate` to check.
    package var declaredFiles: [DeclaredLocation] = []

    package struct DeclaredLocation: Sendable {
        /// `data.reference`, `data.train.current`, ...
        package var key: String
        /// As resolved: an absolute path, a URL or `s3://...`.
        package var location: String
        package var at: SourceLocation
    }

    package init(
        reference: String, current: String, target: String, predictionColumns: [String], referenceSource: DataSourceDeclaration? = nil,
        currentSource: DataSourceDeclaration? = nil
    ) {
        self.reference = reference
        self.current = current
        self.target = target
        self.predictionColumns = predictionColumns
        self.referenceSource = referenceSource ?? .location(reference)
        self.currentSource = currentSource ?? .location(current)
    }
}

/// How the detect state decides that data drifted.
package struct DriftPolicy: Sendable {
    /// Dataset drift when the share of drifted columns is at least this. Default: 0.5.
    package var share: Double
    /// Test for every column instead of Evidently's automatic choice. Default: automatic.
    package var method: String?
    /// Threshold for every column instead of each test's default.
    package var threshold: Double?
    package var perColumnMethod: [String: String]
    package var perColumnThreshold: [String: Double]
    /// Columns to test. Default: all but the target and prediction columns.
    package var columns: [String]?
    /// Multiple-testing correction of the p-value columns before dataset drift is decided. Default: none.
    package var correction: MultipleTestingCorrection = .none
}

/// Which trainer a pipeline uses.
package struct TrainerSettings: Sendable {
    package enum Kind: String, Sendable { case builtin, http, jenkins }
    package var kind: Kind
    /// Base URL of an HTTP trainer; the built-in trainer's is filled in at start.
    package var url: String?
    /// Extra parameters passed to the trainer as strings.
    package var parameters: [String: String]
    /// How often a waiting state polls the trainer. Default: 1s.
    package var pollInterval: Duration
    /// Environment variable holding a bearer token for the trainer, if it needs one.
    package var tokenEnvironmentVariable: String?
    /// Longest wait between two polls of a running job (polls back off from `pollInterval` up to this).
    package var maxPollInterval: Duration
    /// The Jenkins job and its protocol options, when `kind` is `jenkins`.
    package var jenkins: JenkinsSettings?
    /// PEM bundle of the certificate authorities to trust for an https trainer (a private CA); TLS is always verified.
    package var caFile: String? = nil
    /// Folders a trainer's `file://` model may come from, besides the built-in trainer's own.
    package var modelRoots: [String] = []
}

/// Which registry a pipeline promotes in.
package struct RegistrySettings: Sendable {
    package enum Kind: String, Sendable { case builtin, mlflow }
    package var kind: Kind
    /// Name of the champion alias. Default: `champion`.
    package var championAlias: String
    /// The MLflow server and its options, when `kind` is `mlflow`.
    package var mlflow: MLflowSettings?
}

/// Rules deciding whether a challenger replaces the champion.
package struct EvaluationPolicy: Sendable, Codable {
    package var primary: PrimaryMetricRule
    package var guards: [GuardMetricRule]
}

/// The metric a challenger must improve.
package struct PrimaryMetricRule: Sendable, Codable {
    package var metric: String
    /// `higher` when bigger is better (accuracy, f1); `lower` for losses.
    package var direction: MetricDirection
    /// Required absolute improvement over the champion. Default: 0.
    package var minImprovement: Double
    /// Required relative improvement over the champion (0.01 = 1%). Default: 0.
    package var minRelativeImprovement: Double
    /// With no champion, the challenger must reach at least this (or at most, for `lower`). Default: none.
    package var floor: Double?

    enum CodingKeys: String, CodingKey {
        case metric, direction, floor
        case minImprovement = "min_improvement"
        case minRelativeImprovement = "min_relative_improvement"
    }
}

/// A metric that must not get worse than the champion's by more than a margin.
package struct GuardMetricRule: Sendable, Codable {
    package var metric: String
    package var direction: MetricDirection
    /// Allowed absolute regression. Default: 0.
    package var maxRegression: Double

    enum CodingKeys: String, CodingKey {
        case metric, direction
        case maxRegression = "max_regression"
    }
}

/// Whether a larger value of an evaluation metric is better (`higher`: accuracy, AUC) or worse (`lower`: log loss, RMSE).
package enum MetricDirection: String, Sendable, Codable {
    case higher, lower
}

/// One state of the declared machine: either it runs an action, or it ends the cycle.
package struct StateDefinition: Sendable {
    package var name: String
    package var location: SourceLocation
    /// The action this state runs as the file names it; `nil` for terminal states.
    package var actionName: String?
    /// The action this state runs; `nil` for terminal states (and for a name that is no action, which the validator reports).
    package var action: ActionKind? { self.actionName.flatMap(ActionKind.init(rawValue:)) }
    /// The outcome a terminal state gives its cycle.
    package var terminal: CycleOutcome?
    /// Where each action outcome leads.
    package var transitions: [String: Transition]
    /// Limit on the whole state, retries and waiting included. Required for waiting actions.
    package var timeout: Duration?
    /// Whether the file has a `timeout` key, well-formed or not.
    package var declaresTimeout = false
    package var retry: RetryPolicy
    /// Poll interval for waiting actions. Default: the trainer's poll interval.
    package var pollInterval: Duration?

    package struct Transition: Sendable {
        package var target: String
        package var location: SourceLocation
    }

    package var isTerminal: Bool { self.terminal != nil }
}

/// Bounded retry with exponential backoff for an action's transient errors.
package struct RetryPolicy: Sendable, Codable, Equatable {
    /// Total attempts, the first included. Default: 3.
    package var attempts: Int
    /// Wait before the first retry. Default: 1s.
    package var initialBackoff: Duration
    /// Upper bound on a single wait. Default: 30s.
    package var maxBackoff: Duration

    package init(attempts: Int = 3, initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30)) {
        self.attempts = attempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The wait before retry number `retry` (1-based), doubled each time, scaled by `jitter` (0.8 to 1: up to 20%
    /// less, so retries of many cycles do not march in step).
    package func backoff(beforeRetry retry: Int, jitter: Double = Double.random(in: 0.8...1.0)) -> Duration {
        let base = self.initialBackoff.seconds * pow(2, Double(max(0, retry - 1)))
        let capped = min(base, self.maxBackoff.seconds)
        return .milliseconds(Int64(capped * min(1, max(0.8, jitter)) * 1000))
    }
}
