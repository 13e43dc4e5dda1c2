import CurlHTTP
import Foundation
import Testing

@testable import DriftLoop

/// Where `examples/sklearn-trainer/sklearn_trainer.py` and its Python are.
enum SklearnTrainer {
    /// `DRIFTLOOP_SKLEARN_PYTHON`, or the venv that scripts/setup_python.sh makes.
    static let python: String? = {
        let candidates = [ProcessInfo.processInfo.environment["DRIFTLOOP_SKLEARN_PYTHON"], ChildServer.repositoryRoot + "/.venv/sklearn/bin/python"]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static let script = ChildServer.repositoryRoot + "/examples/sklearn-trainer/sklearn_trainer.py"
}

/// Cycles through `HTTPTrainer` against `examples/sklearn-trainer/sklearn_trainer.py`, a real scikit-learn trainer, on the
/// pipeline's own data: the verdicts come from the models' real holdout metrics.
@Suite(.enabled(if: SklearnTrainer.python != nil, "needs the scikit-learn venv: run `bash scripts/setup_python.sh` (scripts/test.sh and .ci/run do)"))
struct SklearnTrainerTests {
    @Test func aCycleIsPromotedOnRealMetricsAndTheSameModelRetrainedIsRejectedAgainstIt() async throws {
        let directory = TemporaryDirectory()
        let trainerServer = try await ChildServer(
            python: try #require(SklearnTrainer.python), script: SklearnTrainer.script, arguments: ["--models-dir", directory.file("models")],
            portFile: directory.file("trainer.port"), log: directory.file("trainer.log"))
        defer { trainerServer.stop() }
        let yaml = TestData.pipelineYAML(cooldown: "0s", minImprovement: 0.01)
            .replacingOccurrences(
                of: "trainer: {kind: builtin, poll: 20ms}",
                with: "trainer: {kind: http, url: \(trainerServer.baseURL), poll: 50ms, params: {model: logistic_regression, seed: \"7\"}}")
        let harness = try ControllerHarness(yaml: yaml, directory: directory)
        let controller = PipelineController(
            pipeline: harness.pipeline,
            services: PipelineServices(
                trainer: HTTPTrainer(baseURL: trainerServer.baseURL, client: CurlHTTPClient()), registry: harness.registry,
                dataLoader: DataLoader(client: .init())),
            store: harness.store, logger: TestData.quietLogger)

        let first = try await harness.runCycle(Trigger(kind: .manual, reason: "first model"), controller: controller)
        #expect(first.outcome == .promoted, "\(first.failure ?? "")")
        let training = try #require(first.decisions["training"])
        let f1 = try #require(training["metrics"]?["challenger"]?["f1"]?.numberValue)
        #expect(f1 > 0 && f1 <= 1)
        #expect(training["model_uri"]?.stringValue?.hasSuffix("model.joblib") == true)
        #expect(training["holdout_rows"]?.numberValue == 150, "a seeded 25% of the 600 current rows")
        let champion = try #require(try await harness.registry.champion(model: harness.pipeline.model))

        // Same data, same seed: the challenger is the champion refitted, so it cannot beat it by 0.01.
        let second = try await harness.runCycle(Trigger(kind: .manual, reason: "again"), controller: controller)
        #expect(second.outcome == .rejected, "\(second.failure ?? "")")
        let metrics = try #require(second.decisions["training"]?["metrics"])
        let championF1 = try #require(metrics["champion"]?["f1"]?.numberValue, "the trainer scored the registry's copy of the champion")
        #expect(abs(championF1 - (metrics["challenger"]?["f1"]?.numberValue ?? -1)) < 1e-12)
        #expect(try await harness.registry.champion(model: harness.pipeline.model)?.version == champion.version)
    }
}
