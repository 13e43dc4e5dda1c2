import DriftStats
import Foundation

/// A pipeline's view of production feedback: its stream detectors and its metric window, advanced one labelled
/// record at a time. A value type, so its whole state is the snapshot stored after each batch.
package struct PerformanceMonitor: Sendable, Codable {
    struct Observation: Sendable, Codable {
        var label: String
        var prediction: String
        var score: Double?
    }

    package let policy: MonitoringPolicy
    private var detectors: [AnyStreamDetector]
    /// Values fed to each detector since it was built: River's 0-based index of the next value.
    private var detectorPositions: [Int]
    private var window: [Observation] = []
    private var windowHead = 0
    private var sinceEvaluation = 0
    package private(set) var windowsEvaluated = 0
    private var consecutiveBreaches: [Int]
    /// Recent values of each decay rule's metric, for the evidence.
    private var recentValues: [[Double]]
    /// The champion the state belongs to; a new champion starts a fresh monitor.
    package private(set) var championVersion: String?

    package init(policy: MonitoringPolicy, championVersion: String?) throws {
        self.policy = policy
        self.detectors = try policy.detectors.map { try AnyStreamDetector(name: $0.name, parameters: $0.parameters) }
        self.detectorPositions = Array(repeating: 0, count: policy.detectors.count)
        self.consecutiveBreaches = Array(repeating: 0, count: policy.decay.count)
        self.recentValues = Array(repeating: [], count: policy.decay.count)
        self.championVersion = championVersion
    }

    /// Advances over one labelled record; returns what fired.
    package mutating func observe(_ record: LabelledFeedback, pipeline: String, baseline: [String: Double]?) -> [MonitorSignal] {
        var signals: [MonitorSignal] = []
        for index in self.detectors.indices {
            let declared = self.policy.detectors[index]
            // A NaN or infinite input would poison the detector's sums for good: such records are not fed.
            guard let value = self.input(declared.input, record), value.isFinite else { continue }
            let position = self.detectorPositions[index]
            self.detectors[index].update(value)
            self.detectorPositions[index] += 1
            if self.detectors[index].driftDetected {
                signals.append(
                    MonitorSignal(
                        kind: .conceptDrift,
                        summary: "\(declared.name) detected a change in the \(declared.input.rawValue) stream at index \(position)",
                        evidence: [
                            "detector": .string(declared.name), "input": .string(declared.input.rawValue),
                            "params": .object(declared.parameters.mapValues(JSONValue.string)), "index": .number(Double(position)),
                            "feedback_id": .string(record.id), "labelled_seq": .number(Double(record.labelledSeq)),
                        ],
                        dedupKey: "concept_drift:\(index):\(record.labelledSeq)"))
            }
        }
        signals += self.advanceWindow(
            Observation(label: record.label, prediction: record.prediction, score: record.score), record: record, pipeline: pipeline,
            baseline: baseline)
        return signals
    }

    private func input(_ kind: MonitoringPolicy.DetectorInput, _ record: LabelledFeedback) -> Double? {
        switch (kind, self.policy.task) {
        case (.error, .classification):
            return record.prediction == record.label ? 0 : 1
        case (.error, .regression):
            guard let prediction = Double(record.prediction), let label = Double(record.label) else { return nil }
            return abs(prediction - label)
        case (.prediction, _):
            return Double(record.prediction)
        case (.score, _):
            return record.score
        }
    }

    private mutating func advanceWindow(_ observation: Observation, record: LabelledFeedback, pipeline: String, baseline: [String: Double]?)
        -> [MonitorSignal]
    {
        let size = self.policy.windowSize
        switch self.policy.windowKind {
        case .tumbling:
            self.window.append(observation)
            guard self.window.count >= size else { return [] }
            let signals = self.evaluateWindow(record: record, baseline: baseline)
            self.window.removeAll(keepingCapacity: true)
            return signals
        case .sliding:
            if self.window.count < size {
                self.window.append(observation)
            } else {
                self.window[self.windowHead] = observation
                self.windowHead = (self.windowHead + 1) % size
            }
            self.sinceEvaluation += 1
            guard self.window.count == size, self.sinceEvaluation >= self.policy.windowStep else { return [] }
            self.sinceEvaluation = 0
            return self.evaluateWindow(record: record, baseline: baseline)
        }
    }

    /// The metrics of the current window.
    func windowMetrics() -> [String: Double] {
        switch self.policy.task {
        case .classification:
            return ClassificationMetrics.compute(
                self.window.map { ClassificationOutcome(label: $0.label, prediction: $0.prediction, score: $0.score) },
                positiveLabel: self.policy.positiveLabel)
        case .regression:
            let pairs = self.window.compactMap { observation in
                Double(observation.label).flatMap { label in Double(observation.prediction).map { (label, $0) } }
            }
            .filter { $0.0.isFinite && $0.1.isFinite }
            return RegressionMetrics.compute(labels: pairs.map(\.0), predictions: pairs.map(\.1))
        }
    }

    private mutating func evaluateWindow(record: LabelledFeedback, baseline: [String: Double]?) -> [MonitorSignal] {
        self.windowsEvaluated += 1
        let metrics = self.windowMetrics()
        var signals: [MonitorSignal] = []
        for (index, rule) in self.policy.decay.enumerated() {
            guard let value = metrics[rule.metric], let reference = baseline?[rule.metric] else { continue }
            self.recentValues[index] = Array((self.recentValues[index] + [value]).suffix(max(rule.windows, 5)))
            let harm = MetricOrientation.lowerIsBetter(rule.metric) ? value - reference : reference - value
            let measured = rule.relative ? (reference == 0 ? 0 : harm / abs(reference)) : harm
            self.consecutiveBreaches[index] = measured > rule.drop ? self.consecutiveBreaches[index] + 1 : 0
            guard self.consecutiveBreaches[index] >= rule.windows else { continue }
            self.consecutiveBreaches[index] = 0
            let kindOfDrop = rule.relative ? "relative" : "absolute"
            signals.append(
                MonitorSignal(
                    kind: .performanceDecay,
                    summary:
                        "\(rule.metric) dropped by more than \(rule.drop) (\(kindOfDrop)) below the baseline \(reference) for \(rule.windows) consecutive windows",
                    evidence: [
                        "metric": .string(rule.metric), "baseline": .number(reference), "drop": .number(rule.drop), "relative": .bool(rule.relative),
                        "windows": .number(Double(rule.windows)), "window_kind": .string(self.policy.windowKind.rawValue),
                        "window_size": .number(Double(self.policy.windowSize)), "window_number": .number(Double(self.windowsEvaluated)),
                        "values": .array(self.recentValues[index].suffix(rule.windows).map(JSONValue.number)),
                        "window_metrics": .object(metrics.filter { !$0.key.contains("[") }.mapValues(JSONValue.number)),
                        "labelled_seq": .number(Double(record.labelledSeq)),
                    ],
                    dedupKey: "performance_decay:\(index):\(record.labelledSeq)"))
        }
        return signals
    }
}
