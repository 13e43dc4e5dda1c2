/// What a pipeline watches in production feedback: stream detectors on its errors (concept drift) and windowed
/// metrics against the champion's baseline (performance decay). Declared under `monitoring:` in the pipeline.
public struct MonitoringPolicy: Sendable, Codable, Equatable {
    public enum Task: String, Sendable, Codable { case classification, regression }

    public enum WindowKind: String, Sendable, Codable { case tumbling, sliding }

    /// What a detector is fed for each labelled record.
    public enum DetectorInput: String, Sendable, Codable {
        /// Classification: 1 for a wrong prediction, 0 for a right one. Regression: the absolute error.
        case error
        /// The prediction itself (numeric), for prediction drift.
        case prediction
        /// The predicted probability of the positive class.
        case score
    }

    public struct Detector: Sendable, Codable, Equatable {
        public var name: String
        public var input: DetectorInput
        public var parameters: [String: String]
    }

    /// "`metric` drops by more than `drop` (absolute, or relative to the baseline) for `windows` consecutive windows".
    public struct DecayRule: Sendable, Codable, Equatable {
        public var metric: String
        public var drop: Double
        public var relative: Bool
        public var windows: Int
    }

    public var task: Task
    public var positiveLabel: String?
    public var windowSize: Int
    public var windowKind: WindowKind
    /// For sliding windows: evaluate every `windowStep` records once the window is full.
    public var windowStep: Int
    /// Declared baseline metrics; when absent, the champion's registered metrics are used.
    public var baseline: [String: Double]?
    public var detectors: [Detector]
    public var decay: [DecayRule]

    enum CodingKeys: String, CodingKey {
        case task, baseline, detectors, decay
        case positiveLabel = "positive_label"
        case windowSize = "window_size"
        case windowKind = "window_kind"
        case windowStep = "window_step"
    }
}
