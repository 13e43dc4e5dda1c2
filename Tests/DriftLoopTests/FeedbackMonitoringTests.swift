import DriftStats
import Foundation
import Testing

@testable import DriftLoop

/// Production feedback → stream detectors and windowed metrics → a cycle with its evidence; across restarts.
@Suite struct FeedbackMonitoringTests {
    static func yaml(detectors: String, decay: String) -> String {
        TestData.pipelineYAML() + """

            monitoring:
              task: classification
              positive_label: "1"
              window: {size: 200, kind: tumbling}
              baseline: {accuracy: 0.95}
              detectors: \(detectors)
              decay: \(decay)
            """
    }

    /// Predictions for ids in `range`; wrong when `isError(i)`; labels included unless `labelled` is false.
    static func records(_ range: Range<Int>, labelled: Bool = true, isError: (Int) -> Bool) -> [FeedbackRecord] {
        range.map { i in
            let label = i % 2 == 0 ? "1" : "0"
            let prediction = isError(i) ? (label == "1" ? "0" : "1") : label
            return FeedbackRecord(id: "r\(i)", prediction: prediction, label: labelled ? label : nil)
        }
    }

    /// 5% errors, then 40% from record 1000 on.
    static func calm(_ i: Int) -> Bool { i % 20 == 7 }
    static func degraded(_ i: Int) -> Bool { i % 5 < 2 }
    static func isError(_ i: Int) -> Bool { i < 1000 ? Self.calm(i) : Self.degraded(i) }

    static func errorStream(_ count: Int) -> [Double] {
        (0..<count).map { Self.isError($0) ? 1 : 0 }
    }

    /// Labels only, for predictions sent earlier with no error; a label that disagrees makes the prediction wrong.
    static func lateLabels(_ range: Range<Int>) -> [FeedbackRecord] {
        range.map { i in
            let truth = i % 2 == 0 ? "1" : "0"
            return FeedbackRecord(id: "r\(i)", prediction: nil, label: Self.isError(i) ? (truth == "1" ? "0" : "1") : truth)
        }
    }

    func makeController(_ harness: ControllerHarness) -> Controller {
        Controller(
            pipelines: [harness.pipeline], store: harness.store,
            services: { _ in PipelineServices(trainer: harness.trainer, registry: harness.registry, dataLoader: DataLoader(client: .init())) },
            logger: TestData.quietLogger)
    }

    /// The server's feedback monitor service: stored batches reach the monitor without anyone asking for them, and it
    /// stops when cancelled.
    @Test func theMonitorServiceReadsEachStoredBatch() async throws {
        let harness = try ControllerHarness(yaml: Self.yaml(detectors: "[{detector: ddm, input: error}]", decay: "[]"))
        let controller = self.makeController(harness)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await controller.runFeedbackMonitors() }
            _ = try await controller.ingestFeedback(pipeline: "churn", records: Self.records(0..<1000, isError: Self.calm(_:)))
            _ = try await controller.ingestFeedback(pipeline: "churn", records: Self.records(1000..<1600, isError: Self.degraded(_:)))
            for _ in 0..<3000 where try await harness.store.monitorSnapshot(pipeline: "churn")?.throughSeq != 1600 {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(try await harness.store.monitorSnapshot(pipeline: "churn")?.throughSeq == 1600)
            #expect(try await harness.store.cycles(pipeline: "churn", limit: 10).map(\.kind) == [.conceptDrift])
            group.cancelAll()
            try await group.waitForAll()
        }
        await controller.stop()
    }

    @Test func errorRateJumpStartsAConceptDriftCycleNamingTheDetector() async throws {
        let harness = try ControllerHarness(yaml: Self.yaml(detectors: "[{detector: ddm, input: error}]", decay: "[]"))
        let controller = self.makeController(harness)
        let calm = try await controller.ingestFeedback(pipeline: "churn", records: Self.records(0..<1000, isError: Self.calm(_:)))
        #expect(calm == FeedbackIngestResult(accepted: 1000))
        try await controller.processFeedback(pipeline: "churn")
        #expect(try await harness.store.cycles(pipeline: "churn", limit: 10).isEmpty, "no cycle before the jump")

        _ = try await controller.ingestFeedback(pipeline: "churn", records: Self.records(1000..<1600, isError: Self.degraded(_:)))
        try await controller.processFeedback(pipeline: "churn")
        let cycles = try await harness.store.cycles(pipeline: "churn", limit: 10)
        #expect(cycles.count == 1)
        let cycle = try #require(cycles.first)
        #expect(cycle.kind == .conceptDrift)
        let evidence = cycle.decisions["trigger"]?["evidence"]
        #expect(evidence?["detector"]?.stringValue == "ddm")
        var reference = try AnyStreamDetector(name: "ddm")
        let expectedIndex = try #require(DetectorRun(detector: &reference, stream: Self.errorStream(1600)).drift.first)
        #expect(expectedIndex >= 1000)
        #expect(evidence?["index"]?.numberValue == Double(expectedIndex))
        #expect(cycle.decisions["trigger"]?["reason"]?.stringValue?.contains("ddm") == true)
        await controller.waitForCycle(cycle.id)
        await controller.stop()
    }

    @Test func accuracyDecayOverConsecutiveWindowsStartsAPerformanceDecayCycle() async throws {
        let harness = try ControllerHarness(yaml: Self.yaml(detectors: "[]", decay: "[{metric: accuracy, drop: 0.1, windows: 2}]"))
        let controller = self.makeController(harness)
        _ = try await controller.ingestFeedback(pipeline: "churn", records: Self.records(0..<1000, isError: Self.calm(_:)))
        try await controller.processFeedback(pipeline: "churn")
        #expect(try await harness.store.cycles(pipeline: "churn", limit: 10).isEmpty, "no cycle before the jump")

        _ = try await controller.ingestFeedback(pipeline: "churn", records: Self.records(1000..<1399, isError: Self.degraded(_:)))
        try await controller.processFeedback(pipeline: "churn")
        #expect(try await harness.store.cycles(pipeline: "churn", limit: 10).isEmpty, "one bad window is not enough; the rule needs two")

        _ = try await controller.ingestFeedback(pipeline: "churn", records: Self.records(1399..<1600, isError: Self.degraded(_:)))
        try await controller.processFeedback(pipeline: "churn")
        let cycle = try #require(try await harness.store.cycles(pipeline: "churn", limit: 10).first)
        #expect(cycle.kind == .performanceDecay)
        let evidence = cycle.decisions["trigger"]?["evidence"]
        #expect(evidence?["metric"]?.stringValue == "accuracy")
        #expect(evidence?["baseline"]?.numberValue == 0.95)
        #expect(evidence?["window_number"]?.numberValue == 7)
        #expect(evidence?["labelled_seq"]?.numberValue == 1400)
        #expect(evidence?["values"] == .array([.number(0.6), .number(0.6)]))
        await controller.waitForCycle(cycle.id)
        await controller.stop()
    }

    @Test func lateLabelsJoinByIdAndDetectorStateSurvivesARestart() async throws {
        let harness = try ControllerHarness(
            yaml: Self.yaml(detectors: "[{detector: ddm, input: error}, {detector: adwin, input: error}]", decay: "[]"))
        let first = self.makeController(harness)
        let predictions = try await first.ingestFeedback(pipeline: "churn", records: Self.records(0..<1600, labelled: false, isError: { _ in false }))
        #expect(predictions.accepted == 1600)
        // Labels arrive later, for the earlier ids.
        let joined = Self.lateLabels(0..<800)
        let firstHalf = try await first.ingestFeedback(pipeline: "churn", records: joined)
        #expect(firstHalf == FeedbackIngestResult(labelsJoined: 800))
        try await first.processFeedback(pipeline: "churn")
        await first.stop()
        #expect(try await harness.store.monitorSnapshot(pipeline: "churn")?.throughSeq == 800)

        // A new controller on the same store resumes from the snapshot, not from scratch.
        let second = self.makeController(harness)
        let rest = Self.lateLabels(800..<1600)
        let secondHalf = try await second.ingestFeedback(pipeline: "churn", records: rest + rest.prefix(10))
        #expect(secondHalf == FeedbackIngestResult(labelsJoined: 800, duplicates: 10))
        try await second.processFeedback(pipeline: "churn")
        let cycle = try #require(try await harness.store.cycles(pipeline: "churn", limit: 10).first)
        var reference = try AnyStreamDetector(name: "ddm")
        let expected = try #require(DetectorRun(detector: &reference, stream: Self.errorStream(1600)).drift.first)
        #expect(cycle.decisions["trigger"]?["evidence"]?["index"]?.numberValue == Double(expected))
        await second.waitForCycle(cycle.id)
        await second.stop()
    }

    @Test func baselineComesFromTheChampionWhenNoneIsDeclared() async throws {
        let yaml = Self.yaml(detectors: "[]", decay: "[{metric: accuracy, drop: 0.1, windows: 1}]").replacingOccurrences(
            of: "  baseline: {accuracy: 0.95}\n", with: "")
        let harness = try ControllerHarness(yaml: yaml)
        let model = harness.directory.write("champion.json", "{}")
        let version = try await harness.registry.registerChallenger(
            model: "churn-model", sourceURI: URL(fileURLWithPath: model).absoluteString, cycleId: "c0", pipeline: "churn", metrics: ["accuracy": 0.95]
        )
        _ = try await harness.registry.promote(model: "churn-model", version: version.version)
        let controller = self.makeController(harness)
        _ = try await controller.ingestFeedback(pipeline: "churn", records: Self.records(1000..<1200, isError: Self.degraded(_:)))
        try await controller.processFeedback(pipeline: "churn")
        let cycle = try #require(try await harness.store.cycles(pipeline: "churn", limit: 10).first)
        #expect(cycle.kind == .performanceDecay)
        #expect(cycle.decisions["trigger"]?["evidence"]?["baseline"]?.numberValue == 0.95)
        await controller.waitForCycle(cycle.id)
        await controller.stop()
    }

    @Test func slidingRegressionWindowsCompareErrorsWithTheBaseline() throws {
        let policy = MonitoringPolicy(
            task: .regression, positiveLabel: nil, windowSize: 50, windowKind: .sliding, windowStep: 10, baseline: nil,
            detectors: [.init(name: "page-hinkley", input: .error, parameters: ["threshold": "5"])],
            decay: [.init(metric: "mae", drop: 0.5, relative: false, windows: 2)])
        var monitor = try PerformanceMonitor(policy: policy, championVersion: "1")
        var signals: [MonitorSignal] = []
        for i in 0..<300 {
            let label = Double(i % 10)
            let error = i < 150 ? 0.2 : 1.5
            let record = LabelledFeedback(labelledSeq: Int64(i + 1), id: "r\(i)", prediction: String(label + error), label: String(label), score: nil)
            signals += monitor.observe(record, pipeline: "p", baseline: ["mae": 0.2])
        }
        // Windows of 50 are evaluated every 10 records. Past the jump at 150, MAE is 0.46 at 160 (harm 0.26), 0.72 at
        // 170 (first breach) and 0.98 at 180 (second breach: the rule trips).
        let decay = try #require(signals.first { $0.kind == .performanceDecay })
        #expect(decay.evidence["metric"]?.stringValue == "mae")
        #expect(decay.evidence["labelled_seq"]?.numberValue == 180)
        #expect(signals.first { $0.kind == .conceptDrift }?.evidence["detector"]?.stringValue == "page-hinkley")
        #expect(monitor.windowsEvaluated == 26)
    }
}
