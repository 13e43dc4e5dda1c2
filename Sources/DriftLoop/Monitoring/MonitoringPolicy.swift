/// What a pipeline watches in production feedback: stream detectors on its errors (concept drift) and windowed
/// metrics against the champion's baseline (performance decay). Declared under `monitoring:` in the pipeline.
package struct MonitoringPolicy: Sendable, Codable, Equatable {
    package enum Task: String, Sendable, Codable { case classification, regression }

    package enum WindowKind: String, Sendable, Codable { case tumbling, sliding }

    /// What a detector is fed for each labelled record.
    package enum DetectorInput: String, Sendable, Codable {
        /// Classification: 1 for a wrong prediction, 0 for a right one. Regression: the absolute error.
        case error
        /// The prediction itself (numeric), for prediction drift.
        case prediction
        /// The predicted probability of the positive class.
        case score
    }

    package struct Detector: Sendable, Codable, Equatable {
        package var name: String
        package var input: DetectorInput
        package var parameters: [String: String]
    }

    /// "`metric` drops by more than `drop` (absolute, or relative to the baseline) for `windows` consecutive windows".
    package struct DecayRule: Sendable, Codable, Equatable {
        package var metric: String
        package var drop: Double
        package var relative: Bool
        package var windows: Int
    }

    package var task: Task
    package var positiveLabel: String?
    package var windowSize: Int
    package var windowKind: WindowKind
    /// For sliding windows: evaluate every `windowStep` records once the window is full.
    package var windowStep: Int
    /// Declared baseline metrics; when absent, the champion's registered metrics are used.
    package var baseline: [String: Double]?
    package var detectors: [Detector]
    package var decay: [DecayRule]

    enum CodingKeys: String, CodingKey {
        case task, baseline, detectors, decay
        case positiveLabel = "positive_label"
        case windowSize = "window_size"
        case windowKind = "window_kind"
        case windowStep = "window_step"
    }
}
