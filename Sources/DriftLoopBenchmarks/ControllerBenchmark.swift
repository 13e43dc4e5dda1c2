import CurlHTTP
import DriftLoop
import Foundation
import Logging

/// Controller overhead: cycles of the example graph whose actions return at once, so what is measured is the
/// controller and the store (one SQLite transaction per transition, synchronous=FULL, WAL).
enum ControllerBenchmark {
    /// Returns the first declared outcome that leads towards promotion, immediately.
    struct InstantAction: Action {
        var outcome: String
        func run(_ context: ActionContext) async throws -> ActionResult { ActionResult(outcome: self.outcome) }
    }

    struct NoTrainer: Trainer {
        func start(_ request: TrainingRequest, idempotencyKey: String) async throws -> String { "none" }
        func status(jobId: String) async throws -> TrainingJobStatus { TrainingJobStatus(job: jobId, status: .succeeded) }
    }

    static let instantOutcomes = [
        "detect_drift": "drift", "start_training": "started", "await_training": "succeeded", "evaluate": "better", "promote": "promoted", "reject": "rejected",
    ]

    static func run(cyclesPerPipeline: Int, pipelineCount: Int, directory: String) async throws {
        let examplePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../pipelines/example.yaml").standardized.path
        let exampleText = try String(contentsOfFile: examplePath, encoding: .utf8).replacingOccurrences(of: "cooldown: 10m", with: "cooldown: 0s")
        func makePipeline(_ name: String) throws -> PipelineDefinition {
            try PipelineLoader.parse(exampleText.replacingOccurrences(of: "name: example", with: "name: \(name)"), file: "\(name).yaml", defaultName: name, baseDirectory: directory)
        }

        let single = try await self.measure(
            store: try SQLiteCycleStore(path: directory + "/single.sqlite"), pipelines: [try makePipeline("solo")], cycles: cyclesPerPipeline, directory: directory)
        let perCycle = single.seconds / Double(cyclesPerPipeline)
        print(String(format: "one pipeline, %d sequential cycles (6 transitions each): %.3f s total, %.2f ms per cycle, %.0f cycles/s", cyclesPerPipeline, single.seconds, perCycle * 1000, 1 / perCycle))

        let many = try (0..<pipelineCount).map { try makePipeline("p\($0)") }
        let perPipeline = max(1, cyclesPerPipeline / 20)
        let concurrent = try await self.measure(store: try SQLiteCycleStore(path: directory + "/many.sqlite"), pipelines: many, cycles: perPipeline, directory: directory)
        let total = pipelineCount * perPipeline
        print(String(format: "%d pipelines x %d cycles concurrently: %d cycles in %.3f s, %.0f cycles/s, %.0f transitions/s", pipelineCount, perPipeline, total, concurrent.seconds, Double(total) / concurrent.seconds, Double(total * 6) / concurrent.seconds))
    }

    static func measure(store: SQLiteCycleStore, pipelines: [PipelineDefinition], cycles: Int, directory: String) async throws -> Duration {
        let services = PipelineServices(trainer: NoTrainer(), registry: BuiltinRegistry(directory: directory + "/registry"), dataLoader: DataLoader(client: .init()))
        let controller = Controller(
            pipelines: pipelines, store: store, services: { _ in services }, logger: BenchmarkSupport.logger,
            makeAction: { name in Self.instantOutcomes[name].map { InstantAction(outcome: $0) } })
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for pipeline in pipelines {
                group.addTask {
                    for _ in 0..<cycles {
                        let acceptance = try await controller.submit(pipeline: pipeline.name, trigger: Trigger(kind: .manual, force: true))
                        await controller.waitForCycle(acceptance.cycleId)
                    }
                }
            }
            try await group.waitForAll()
        }
        return clock.now - start
    }
}
