import Foundation
import GRDB
import Testing

@testable import DriftLoop

/// Retention keeps each pipeline's latest finished cycles and every running one; nothing else of theirs remains.
@Suite struct RetentionTests {
    @Test func oldFinishedCyclesGoWithTheirRowsAndTheLatestAndRunningStay() async throws {
        let harness = try ControllerHarness(yaml: TestData.pipelineYAML(cooldown: "0s"))
        var finished: [String] = []
        for index in 0..<4 {
            finished.append(try await harness.runCycle(Trigger(kind: .manual, reason: "cycle \(index)", dedupKey: "k\(index)")).id)
        }
        let history = try await harness.store.championHistory(model: "churn-model")
        // A running cycle, as a stopped controller would leave it.
        let running = try await harness.store.acceptTrigger(
            pipeline: "churn", trigger: Trigger(kind: .manual, dedupKey: "running"), initialState: "detect", cooldown: .zero, now: Date())

        // Everything finished "before now + 1 h", keeping the 2 most recent: the first two go.
        let removed = try await harness.store.deleteFinishedCycles(finishedBefore: Date().addingTimeInterval(3600), keepingLatest: 2)
        #expect(removed == 2)
        let left = try await harness.store.allCycles(pipeline: "churn", createdSince: nil).map(\.id)
        #expect(left == Array(finished.suffix(2)) + [running.cycleId])
        for gone in finished.prefix(2) {
            #expect(try await harness.store.transitions(cycleId: gone).isEmpty)
            #expect(try await harness.store.triggers(cycleId: gone).isEmpty)
        }
        #expect(try await harness.store.championHistory(model: "churn-model").count == history.count, "the champion history is kept")
        // Nothing is old enough any more: a second pass removes nothing.
        #expect(try await harness.store.deleteFinishedCycles(finishedBefore: Date().addingTimeInterval(-3600), keepingLatest: 0) == 0)
    }

    @Test func retentionIsReadFromConfigWithPositionsOnMistakes() throws {
        let config = try ControllerConfig.parse("retention: {max_age: 90d, keep_latest: 5}\n", file: "config.yaml", baseDirectory: "/tmp")
        #expect(config.retention == RetentionSettings(maxAge: .seconds(90 * 86400), keepLatest: 5, interval: .seconds(3600)))
        #expect(throws: DiagnosticsError.self) {
            try ControllerConfig.parse("retention: {keep_latest: 5}\n", file: "config.yaml", baseDirectory: "/tmp")
        }
    }
}
