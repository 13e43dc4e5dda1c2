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

    /// The outcome each instant action returns: its first declared one, which is the example pipeline's path to
    /// `promoted` (drift, started, succeeded, better, promoted).
    static func instantOutcome(_ kind: ActionKind) -> String { kind.declaration.descriptor.outcomes.first ?? "" }

    /// With `DRIFTLOOP_BENCH_POSTGRES_URL` (an empty database; `Benchmarks/scripts/bench_scale.sh` makes one) the same runs
    /// are repeated on PostgreSQL.
    static func run(cyclesPerPipeline: Int, pipelineCount: Int, directory: String) async throws {
        try await self.run(cyclesPerPipeline: cyclesPerPipeline, pipelineCount: pipelineCount, directory: directory, label: "sqlite") { name in
            try SQLiteCycleStore(path: directory + "/\(name).sqlite")
        }
        guard let url = ProcessInfo.processInfo.environment["DRIFTLOOP_BENCH_POSTGRES_URL"], !url.isEmpty else { return }
        let store = try await PostgresCycleStore.open(
            settings: try PostgresConnectionSettings(url: url, maxConnections: 20), logger: BenchmarkSupport.logger)
        defer { store.close() }
        // One database for both runs: the pipelines' names differ, and the single run's cycles are finished before.
        try await self.run(cyclesPerPipeline: cyclesPerPipeline, pipelineCount: pipelineCount, directory: directory, label: "postgres") { _ in store }
    }

    static func run(
        cyclesPerPipeline: Int, pipelineCount: Int, directory: String, label: String, store makeStore: (String) async throws -> any CycleStore
    ) async throws {
        let examplePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../pipelines/example.yaml")
            .standardized.path
        let exampleText = try String(contentsOfFile: examplePath, encoding: .utf8).replacingOccurrences(of: "cooldown: 10m", with: "cooldown: 0s")
        func makePipeline(_ name: String) throws -> PipelineDefinition {
            try PipelineLoader.parse(
                exampleText.replacingOccurrences(of: "name: example", with: "name: \(name)"), file: "\(name).yaml", defaultName: name,
                baseDirectory: directory)
        }

        let single = try await self.measure(
            store: try await makeStore("single"), pipelines: [try makePipeline("solo")], cycles: cyclesPerPipeline, directory: directory)
        let perCycle = single.seconds / Double(cyclesPerPipeline)
        print(
            "[\(label)] "
                + String(
                    format: "one pipeline, %d sequential cycles (6 transitions each): %.3f s total, %.2f ms per cycle, %.0f cycles/s",
                    cyclesPerPipeline, single.seconds, perCycle * 1000, 1 / perCycle))

        let many = try (0..<pipelineCount).map { try makePipeline("p\($0)") }
        let perPipeline = max(1, cyclesPerPipeline / 20)
        let concurrent = try await self.measure(store: try await makeStore("many"), pipelines: many, cycles: perPipeline, directory: directory)
        let total = pipelineCount * perPipeline
        print(
            "[\(label)] "
                + String(
                    format: "%d pipelines x %d cycles concurrently: %d cycles in %.3f s, %.0f cycles/s, %.0f transitions/s", pipelineCount,
                    perPipeline, total, concurrent.seconds, Double(total) / concurrent.seconds, Double(total * 6) / concurrent.seconds))
    }

    static func measure(store: any CycleStore, pipelines: [PipelineDefinition], cycles: Int, directory: String) async throws -> Duration {
        let services = PipelineServices(
            trainer: NoTrainer(), registry: BuiltinRegistry(directory: directory + "/registry"), dataLoader: DataLoader(client: .init()))
        let controller = Controller(
            pipelines: pipelines, store: store, services: { _ in services }, logger: BenchmarkSupport.logger,
            makeAction: { kind in InstantAction(outcome: Self.instantOutcome(kind)) })
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
