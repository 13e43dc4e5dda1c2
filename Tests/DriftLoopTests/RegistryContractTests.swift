import CurlHTTP
import Foundation
import Testing

@testable import DriftLoop

/// What every registry must do, run against the built-in registry and a real MLflow server.
struct RegistryContract {
    let registry: any ModelRegistry
    let model = "contract-\(UUID().uuidString.prefix(8).lowercased())"
    let directory: TemporaryDirectory

    init(registry: any ModelRegistry, directory: TemporaryDirectory = TemporaryDirectory()) {
        self.registry = registry
        self.directory = directory
    }

    func register(cycle: String) async throws -> ModelVersion {
        let file = self.directory.write("\(cycle)/model.json", "{\"format\":\"test\",\"cycle\":\"\(cycle)\"}")
        return try await self.registry.registerChallenger(
            model: self.model, sourceURI: URL(fileURLWithPath: file).absoluteString, cycleId: cycle, pipeline: "churn",
            metrics: ["f1": 0.8, "accuracy": 0.9])
    }

    func emptyModelHasNoChampionOrVersions() async throws {
        #expect(try await self.registry.champion(model: self.model) == nil)
        #expect(try await self.registry.previousChampion(model: self.model) == nil)
        #expect(try await self.registry.versions(model: self.model).isEmpty)
    }

    func registrationIsIdempotentPerCycleAndTagged() async throws {
        let first = try await self.register(cycle: "cycle-a")
        let again = try await self.register(cycle: "cycle-a")
        let second = try await self.register(cycle: "cycle-b")
        #expect(first.version == again.version)
        #expect(Int(second.version) == Int(first.version)! + 1)
        let versions = try await self.registry.versions(model: self.model)
        #expect(versions.map(\.version) == [first.version, second.version])
        #expect(versions.first?.tags["driftloop.cycle_id"] == "cycle-a")
        #expect(versions.first?.tags["driftloop.pipeline"] == "churn")
        #expect(versions.first?.sourceURI.hasSuffix("cycle-a/model.json") == true)
    }

    func promotionMovesTheChampionKeepsThePreviousAndIsIdempotent() async throws {
        let one = try await self.register(cycle: "c1")
        let two = try await self.register(cycle: "c2")
        let first = try await self.registry.promote(model: self.model, version: one.version)
        #expect(first.previousVersion == nil && !first.wasAlreadyChampion)
        let second = try await self.registry.promote(model: self.model, version: two.version)
        #expect(second.previousVersion == one.version && !second.wasAlreadyChampion)
        // A restart in the promote state promotes again: nothing moves, `previous` does not point at itself.
        let repeated = try await self.registry.promote(model: self.model, version: two.version)
        #expect(repeated.wasAlreadyChampion)
        #expect(repeated.previousVersion == one.version)
        #expect(try await self.registry.champion(model: self.model)?.version == two.version)
        #expect(try await self.registry.previousChampion(model: self.model)?.version == one.version)
        #expect(try await self.registry.champion(model: self.model)?.metrics["f1"] == 0.8)
    }

    func rejectionTagsTheReason() async throws {
        let version = try await self.register(cycle: "c1")
        try await self.registry.reject(model: self.model, version: version.version, reason: "f1 0.70 < champion 0.75 + 0.01")
        let stored = try await self.registry.versions(model: self.model).first
        #expect(stored?.tags["driftloop.rejected"] == "f1 0.70 < champion 0.75 + 0.01")
        #expect(try await self.registry.champion(model: self.model) == nil)
    }

    func rollbackMovesBackAndRefusesWhatItCannotDo() async throws {
        await #expect(throws: RegistryError.self) { _ = try await self.registry.rollback(model: self.model, to: nil) }
        let one = try await self.register(cycle: "c1")
        let two = try await self.register(cycle: "c2")
        _ = try await self.registry.promote(model: self.model, version: one.version)
        await #expect(throws: RegistryError.self) { _ = try await self.registry.rollback(model: self.model, to: nil) }
        _ = try await self.registry.promote(model: self.model, version: two.version)
        let (from, to) = try await self.registry.rollback(model: self.model, to: nil)
        #expect(from.version == two.version && to.version == one.version)
        #expect(try await self.registry.champion(model: self.model)?.version == one.version)
        #expect(try await self.registry.previousChampion(model: self.model)?.version == two.version)
        await #expect(throws: RegistryError.self) { _ = try await self.registry.rollback(model: self.model, to: one.version) }
        await #expect(throws: RegistryError.self) { _ = try await self.registry.rollback(model: self.model, to: "99") }
        _ = try await self.registry.rollback(model: self.model, to: two.version)
        #expect(try await self.registry.champion(model: self.model)?.version == two.version)
    }

    func promotingAnUnknownVersionFailsWithoutRetry() async throws {
        _ = try await self.register(cycle: "c1")
        let error = await #expect(throws: RegistryError.self) { _ = try await self.registry.promote(model: self.model, version: "42") }
        #expect(error?.isTransient == false)
        #expect(error?.message.contains("no version 42") == true)
    }
}

@Suite struct BuiltinRegistryContractTests {
    func contract() -> RegistryContract {
        let directory = TemporaryDirectory()
        return RegistryContract(registry: BuiltinRegistry(directory: directory.file("registry")), directory: directory)
    }

    @Test func emptyModelHasNoChampionOrVersions() async throws { try await self.contract().emptyModelHasNoChampionOrVersions() }
    @Test func registrationIsIdempotentPerCycleAndTagged() async throws { try await self.contract().registrationIsIdempotentPerCycleAndTagged() }
    @Test func promotion() async throws { try await self.contract().promotionMovesTheChampionKeepsThePreviousAndIsIdempotent() }
    @Test func rejection() async throws { try await self.contract().rejectionTagsTheReason() }
    @Test func rollback() async throws { try await self.contract().rollbackMovesBackAndRefusesWhatItCannotDo() }
    @Test func unknownVersion() async throws { try await self.contract().promotingAnUnknownVersionFailsWithoutRetry() }
}

/// A real MLflow server: `bash scripts/mlflow_server.sh start` and `DRIFTLOOP_MLFLOW_URL=http://127.0.0.1:5055`.
enum MLflowTestServer {
    static let url: String? = ProcessInfo.processInfo.environment["DRIFTLOOP_MLFLOW_URL"]

    static func registry(alias: String = "champion", url: String? = nil, useStages: Bool = false) -> MLflowRegistry {
        MLflowRegistry(
            settings: MLflowSettings(
                url: url ?? Self.url ?? "", tokenEnvironmentVariable: nil, user: nil, passwordEnvironmentVariable: nil, experiment: nil,
                useStages: useStages, requestTimeout: .seconds(10)),
            championAlias: alias, authentication: .none, client: CurlHTTPClient())
    }

    /// A raw REST call, to check what MLflow itself shows.
    static func get(_ path: String) async throws -> (status: Int, json: [String: Any]) {
        let response = try await CurlHTTPClient().send(HTTPRequest(url: (Self.url ?? "") + "/api/2.0/mlflow/" + path))
        return (response.status, (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:])
    }
}

@Suite(
    .enabled(
        if: MLflowTestServer.url != nil,
        "needs a real MLflow server: `bash scripts/mlflow_server.sh start` and DRIFTLOOP_MLFLOW_URL=http://127.0.0.1:5055 (.ci/run does both)"))
struct MLflowRegistryContractTests {
    func contract(useStages: Bool = false) -> RegistryContract { RegistryContract(registry: MLflowTestServer.registry(useStages: useStages)) }

    @Test func emptyModelHasNoChampionOrVersions() async throws { try await self.contract().emptyModelHasNoChampionOrVersions() }
    @Test func registrationIsIdempotentPerCycleAndTagged() async throws { try await self.contract().registrationIsIdempotentPerCycleAndTagged() }
    @Test func promotion() async throws { try await self.contract().promotionMovesTheChampionKeepsThePreviousAndIsIdempotent() }
    @Test func rejection() async throws { try await self.contract().rejectionTagsTheReason() }
    @Test func rollback() async throws { try await self.contract().rollbackMovesBackAndRefusesWhatItCannotDo() }
    @Test func unknownVersion() async throws { try await self.contract().promotingAnUnknownVersionFailsWithoutRetry() }

    @Test func theChampionAliasResolvesInMLflowAndStagesFollowWhenAskedTo() async throws {
        let contract = self.contract(useStages: true)
        let one = try await contract.register(cycle: "c1")
        let two = try await contract.register(cycle: "c2")
        _ = try await contract.registry.promote(model: contract.model, version: one.version)
        _ = try await contract.registry.promote(model: contract.model, version: two.version)
        // What `models:/NAME@champion` resolves to, as MLflow's clients ask for it.
        let alias = try await MLflowTestServer.get("registered-models/alias?name=\(contract.model)&alias=champion")
        #expect((alias.json["model_version"] as? [String: Any])?["version"] as? String == two.version)
        let previous = try await MLflowTestServer.get("registered-models/alias?name=\(contract.model)&alias=previous_champion")
        #expect((previous.json["model_version"] as? [String: Any])?["version"] as? String == one.version)
        let versions = try await MLflowTestServer.get("model-versions/get?name=\(contract.model)&version=\(one.version)")
        #expect((versions.json["model_version"] as? [String: Any])?["current_stage"] as? String == "Archived")
        let current = try await MLflowTestServer.get("model-versions/get?name=\(contract.model)&version=\(two.version)")
        #expect((current.json["model_version"] as? [String: Any])?["current_stage"] as? String == "Production")
    }

    @Test func decisionsAreLoggedToTheChallengersRun() async throws {
        let contract = self.contract()
        let version = try await contract.register(cycle: "c1")
        // The decisions as EvaluateAction and DetectDriftAction store them (`driftloop drift --json`'s shape).
        let decisions: [String: JSONValue] = [
            "evaluation": try #require(
                JSONValue.parse(
                    #"{"is_better":true,"summary":"f1 improved","rules":[{"kind":"primary","metric":"f1","direction":"higher","champion":0.7,"challenger":0.8,"requirement":"improve by >= 0.01","passed":true,"explanation":"f1 0.8 vs 0.7"}]}"#
                )),
            "drift": try #require(
                JSONValue.parse(
                    #"{"columns":[],"drifted_columns":3,"share":0.6,"share_threshold":0.5,"dataset_drift":true,"n_reference":10,"n_current":12}"#
                )),
        ]
        try await contract.registry.recordDecisions(
            model: contract.model, version: version.version, cycleId: "c1", verdict: "promoted", decisions: decisions)
        let stored = try await MLflowTestServer.get("model-versions/get?name=\(contract.model)&version=\(version.version)")
        let runId = try #require((stored.json["model_version"] as? [String: Any])?["run_id"] as? String)
        let run = try await MLflowTestServer.get("runs/get?run_id=\(runId)")
        let data = (run.json["run"] as? [String: Any])?["data"] as? [String: Any]
        let metrics = Dictionary(
            uniqueKeysWithValues: ((data?["metrics"] as? [[String: Any]]) ?? []).map { ($0["key"] as? String ?? "", $0["value"] as? Double ?? .nan) })
        #expect(metrics["f1"] == 0.8, "the challenger's own metrics")
        #expect(metrics["driftloop.champion.f1"] == 0.7)
        #expect(metrics["driftloop.drift.share_drifted"] == 0.6)
        let tags = ((data?["tags"] as? [[String: Any]]) ?? []).compactMap {
            $0["key"] as? String == "driftloop.verdict" ? $0["value"] as? String : nil
        }
        #expect(tags == ["promoted"])
        let artifacts = try await MLflowTestServer.get("artifacts/list?run_id=\(runId)&path=driftloop")
        let files = ((artifacts.json["files"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }
        #expect(files == ["driftloop/cycle-c1.json"])
        let model = try await MLflowTestServer.get("artifacts/list?run_id=\(runId)&path=model")
        #expect(((model.json["files"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String } == ["model/model.json"])
    }

    @Test func anUnreachableServerIsATransientErrorThatNamesIt() async throws {
        let registry = MLflowTestServer.registry(url: "http://127.0.0.1:9")
        let error = await #expect(throws: RegistryError.self) { _ = try await registry.champion(model: "churn") }
        #expect(error?.isTransient == true)
        #expect(error?.message.contains("MLflow at http://127.0.0.1:9 is unreachable") == true, "\(error?.message ?? "")")
    }
}

/// MLflow unreachable during a cycle: the promote state retries within its budget, then fails saying where.
@Suite struct MLflowOutageTests {
    @Test func promotionAgainstAnUnreachableMLflowIsRetriedThenFailsNamingTheServer() async throws {
        let harness = try ControllerHarness()
        let registry = MLflowTestServer.registry(url: "http://127.0.0.1:9")
        let controller = PipelineController(
            pipeline: harness.pipeline,
            services: PipelineServices(trainer: harness.trainer, registry: registry, dataLoader: DataLoader(client: .init())),
            store: harness.store, logger: TestData.quietLogger)
        let cycle = try await harness.runCycle(controller: controller)
        #expect(cycle.outcome == .failed)
        #expect(cycle.failure?.contains("MLflow at http://127.0.0.1:9 is unreachable") == true, "\(cycle.failure ?? "")")
        // The champion lookup before training failed first: nothing was trained against an unknown champion.
        #expect(await harness.trainer.jobsCreated == 0)
    }
}
