import DriftLoopServer
import Foundation
import Testing

@testable import DriftLoop

/// Findings 10 and 11: what may become champion. A rollback restores an earlier champion, not any version; a
/// trainer's report cannot have an arbitrary file of the controller's disk registered and promoted.
@Suite struct RegistrySecurityTests {
    @Test func aRollbackGoesOnlyToAnEarlierChampionUnlessExplicitlyOverridden() async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(minImprovement: 0.005), maxBodyBytes: 1 << 20) { _, client in
            // v1 promoted; v2 (the same data again, no improvement) rejected.
            let first = try #require(try await client.post("/v1/pipelines/churn/retrain", ["force": true]).json["cycle_id"]?.stringValue)
            #expect(try await client.waitForEnd(first)["cycle"]?["outcome"]?.stringValue == "promoted")
            let second = try #require(try await client.post("/v1/pipelines/churn/retrain", ["force": true]).json["cycle_id"]?.stringValue)
            #expect(try await client.waitForEnd(second)["cycle"]?["outcome"]?.stringValue == "rejected")

            let refused = try await client.post("/v1/pipelines/churn/rollback", ["to_version": "2", "actor": "mallory"])
            #expect(refused.status == 409)
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("was rejected") == true)
            #expect(refused.json["error"]?["field"]?.stringValue == "to_version")
            let pipeline = try await client.get("/v1/pipelines/churn")
            #expect(pipeline.json["pipeline"]?["champion"]?["version"]?.stringValue == "1", "the champion did not move")

            let overridden = try await client.post("/v1/pipelines/churn/rollback", ["to_version": "2", "actor": "alice", "any_version": true])
            #expect(overridden.status == 200)
            let decision = overridden.json["decisions"]?["rollback"]
            #expect(decision?["any_version"]?.boolValue == true)
            #expect(decision?["actor"]?.stringValue == "alice (token api)", "the claimed name, beside the token used")
            // Back to v1: an earlier champion needs no override.
            let back = try await client.post("/v1/pipelines/churn/rollback", ["to_version": "1", "actor": "alice"])
            #expect(back.status == 200)
        }
    }

    @Test func aModelOutsideTheConfiguredRootsIsNeverRegistered() async throws {
        let directory = TemporaryDirectory()
        let roots = directory.file("models")
        try FileManager.default.createDirectory(atPath: roots, withIntermediateDirectories: true)
        let inside = directory.write("models/good.json", "{}")
        try FileManager.default.createSymbolicLink(atPath: directory.file("models/link.json"), withDestinationPath: "/etc/hostname")
        for (uri, allowed) in [
            ("file:///etc/hostname", false), ("/etc/hostname", false), ("file://\(roots)/../../../../etc/hostname", false),
            ("file://\(roots)/link.json", false), ("file://\(inside)", true), ("runs:/abc/model", true), ("https://jenkins/job/1/artifact/m", true),
        ] {
            let harness = try ControllerHarness(directory: TemporaryDirectory())
            let trainer = ReportingTrainer(modelURI: uri)
            let controller = PipelineController(
                pipeline: harness.pipeline,
                services: PipelineServices(
                    trainer: trainer, registry: harness.registry, dataLoader: DataLoader(client: .init()), modelRoots: ModelRoots([roots])),
                store: harness.store, logger: TestData.quietLogger)
            let cycle = try await harness.runCycle(Trigger(kind: .manual, reason: "probe", force: true), controller: controller)
            let versions = try await harness.registry.versions(model: harness.pipeline.model)
            if allowed {
                #expect(cycle.outcome == .promoted, "\(uri): \(cycle.failure ?? "")")
            } else {
                #expect(cycle.outcome == .failed, "\(uri)")
                #expect(cycle.failure?.contains("trainer.model_roots") == true, "\(uri): \(cycle.failure ?? "")")
                #expect(versions.isEmpty, "\(uri): nothing registered")
            }
        }
    }
}

/// A trainer whose job succeeds at once and reports `modelURI`, as a Jenkins build's metrics artifact could.
private struct ReportingTrainer: Trainer {
    var modelURI: String

    func start(_ request: TrainingRequest, idempotencyKey: String) async throws -> String { "job-1" }

    func status(jobId: String) async throws -> TrainingJobStatus {
        TrainingJobStatus(
            job: jobId, status: .succeeded, metrics: .init(challenger: ["f1": 0.9, "accuracy": 0.9], champion: nil), modelURI: self.modelURI,
            holdoutRows: 100)
    }
}
