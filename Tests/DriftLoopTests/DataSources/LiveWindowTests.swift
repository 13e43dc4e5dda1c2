import DriftStats
import Foundation
import Testing

@testable import DriftLoop

/// The live production window: an inference service posts its inputs and predictions, and drift is checked on them
/// with no file at all.
@Suite struct LiveWindowTests {
    /// A reference of two features and a prediction, as a model saw them in training.
    static func reference(_ directory: TemporaryDirectory) -> String {
        var generator = SeededNormal(seed: 11)
        var text = "x1,x2,prediction\n"
        for index in 0..<400 { text += "\(generator.next()),\(["a", "b", "c"][index % 3]),\(index % 2)\n" }
        return directory.write("reference.csv", text)
    }

    static func yaml(reference: String) -> String {
        TestData.pipelineYAML()
            .replacingOccurrences(
                of: "data: {reference: \(TestData.reference), current: \(TestData.current), target: churned}",
                with:
                    "data: {reference: \(reference), current: {recent: {records: 300}}, prediction: [prediction], train: {reference: \(TestData.reference), current: \(TestData.current)}, target: churned}"
            )
            + "\nschedule: {every: 1h, on_drift: cycle}\nfeedback_retention: {max_records: 100000}\n"
    }

    /// `count` records whose `x1` is shifted by `shift`.
    static func records(_ range: Range<Int>, shift: Double) -> JSONValue {
        var generator = SeededNormal(seed: UInt64(range.lowerBound + 1))
        return .array(
            range.map { index in
                [
                    "id": .string("r\(index)"), "prediction": .string(String(index % 2)),
                    "features": ["x1": .number(generator.next() + shift), "x2": .string(["a", "b", "c"][index % 3])],
                ]
            })
    }

    @Test func postedFeaturesWithAShiftedColumnStartACycleFromAScheduledCheck() async throws {
        let directory = TemporaryDirectory()
        let reference = Self.reference(directory)
        try await LiveServer.run(pipelineYAML: Self.yaml(reference: reference), maxBodyBytes: 4 << 20) { endpoints, client in
            // Production as in training: no drift.
            #expect(try await client.post("/v1/pipelines/churn/feedback", Self.records(0..<300, shift: 0)).status == 202)
            let calm = try await endpoints.controller.runScheduledCheck(pipeline: "churn")
            #expect(!calm.report.datasetDrift)
            #expect(calm.acceptance == nil)
            #expect(calm.report.features.currentSource?.format == "feedback")
            #expect(calm.report.features.currentRows == 300)

            // x1 moves by three standard deviations.
            #expect(try await client.post("/v1/pipelines/churn/feedback", Self.records(300..<600, shift: 3)).status == 202)
            let shifted = try await endpoints.controller.runScheduledCheck(pipeline: "churn")
            #expect(shifted.report.features.columns.first { $0.column == "x1" }?.drifted == true)
            #expect(shifted.report.features.columns.first { $0.column == "x2" }?.drifted == false)
            #expect(shifted.report.datasetDrift)
            #expect(shifted.report.prediction?.columns.map(\.column) == ["prediction"], "prediction drift is checked on the posted predictions")
            let acceptance = try #require(shifted.acceptance)
            #expect(acceptance.disposition == .started)
            let cycle = try #require(try await endpoints.controller.history.cycle(id: acceptance.cycleId))
            #expect(cycle.kind == .schedule)
        }
    }
}

/// Box-Muller normals from SplitMix64, so the data is the same on every run.
struct SeededNormal {
    var generator: SplitMix64

    init(seed: UInt64) {
        self.generator = SplitMix64(seed: seed)
    }

    mutating func next() -> Double {
        let u1 = max(Double(self.generator.next() >> 11) / Double(1 << 53), 1e-12)
        let u2 = Double(self.generator.next() >> 11) / Double(1 << 53)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
