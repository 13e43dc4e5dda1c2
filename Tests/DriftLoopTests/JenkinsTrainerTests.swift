import CurlHTTP
import Foundation
import Testing

@testable import DriftLoop

/// Cycles through the controller with a Jenkins trainer, against the Jenkins simulator over real HTTP.
@Suite(.enabled(if: JenkinsSimulator.isAvailable, "the Jenkins simulator needs python3 (not found); .ci/run provides it"))
struct JenkinsTrainerTests {
    static let job = "ml/retrain"

    /// A simulator config: one folder job with the cycle parameter, archiving metrics where the pipeline looks.
    static func simulatorConfig(
        csrf: Bool = true, result: String = "SUCCESS", buildSeconds: Double? = 20, timeScale: Double = 0.01, quietSeconds: Double = 5,
        challengerF1: Double = 0.9
    ) -> [String: Any] {
        var job: [String: Any] = [
            "parameters": [["name": "DRIFTLOOP_CYCLE", "default": ""], ["name": "REASON", "default": ""], ["name": "CYCLE_URL", "default": ""]],
            "result": result, "quiet_period_s": quietSeconds,
            "artifacts": [
                "metrics.json": [
                    "challenger": ["f1": challengerF1, "accuracy": 0.9], "champion": ["f1": 0.7, "accuracy": 0.88],
                    "model_uri": "jenkins-artifact://${JOB_NAME}/${BUILD_NUMBER}/model.joblib", "holdout_rows": 150,
                ]
            ],
            "console": ["training for cycle ${DRIFTLOOP_CYCLE}", "done"],
        ]
        job["build_duration_s"] = buildSeconds ?? NSNull()
        return [
            "users": ["alice": ["password": "alice-password", "api_token": "alice-api-token"]],
            "csrf": csrf, "time_scale": timeScale, "queue_id_start": 100, "jobs": [Self.job: job],
        ]
    }

    struct Harness {
        let directory = TemporaryDirectory()
        let simulator: JenkinsSimulator
        let store: SQLiteCycleStore
        let registry: BuiltinRegistry
        let pipeline: PipelineDefinition
        let trainer: any Trainer

        init(
            config: [String: Any] = JenkinsTrainerTests.simulatorConfig(), secret: String = "alice-api-token", poll: String = "20ms",
            maxPoll: String = "100ms", awaitTimeout: String = "20s", delay: String? = "0sec",
            awaitOutcomes: String = "succeeded: evaluate, failed: failed",
            retryAttempts: Int = 3
        ) async throws {
            self.simulator = try await JenkinsSimulator(config: config, directory: self.directory)
            let tokenFile = self.directory.write("jenkins-token", secret + "\n")
            let trainer = """

                  kind: jenkins
                  url: \(self.simulator.baseURL)
                  job: \(JenkinsTrainerTests.job)
                  user: alice
                  token_file: \(tokenFile)
                  poll: \(poll)
                  max_poll: \(maxPoll)
                  request_timeout: 5s
                \(delay.map { "  delay: \($0)" } ?? "")
                  params: {DRIFTLOOP_CYCLE: "{{cycle_id}}", REASON: "{{reason}}", CYCLE_URL: "{{cycle_url}}"}
                """
            let yaml = TestData.pipelineYAML(
                cooldown: "0s", awaitTimeout: awaitTimeout, retryAttempts: retryAttempts, minImprovement: 0.01, trainer: trainer, awaitPoll: nil,
                awaitOutcomes: awaitOutcomes)
            self.pipeline = try TestData.pipeline(yaml, directory: self.directory)
            self.store = try SQLiteCycleStore(path: self.directory.file("driftloop.sqlite"))
            self.registry = BuiltinRegistry(directory: self.directory.file("registry"))
            self.trainer = TrainerFactory.make(
                self.pipeline.trainer, builtin: BuiltinTrainerAccess(url: "", token: ""), environment: [:], client: CurlHTTPClient())
        }

        func makeController(observer: PipelineController.TransitionObserver? = nil) -> PipelineController {
            PipelineController(
                pipeline: self.pipeline,
                services: PipelineServices(
                    trainer: self.trainer, registry: self.registry, dataLoader: DataLoader(client: .init()), publicURL: "http://driftloop.test:8080"),
                store: self.store, logger: TestData.quietLogger, observer: observer)
        }

        func runCycle(controller: PipelineController? = nil) async throws -> CycleRecord {
            let controller = controller ?? self.makeController()
            let acceptance = try await controller.submit(Trigger(kind: .manual, reason: "drift in tenure"))
            await controller.waitForCycle(acceptance.cycleId)
            return try #require(try await self.store.cycle(id: acceptance.cycleId))
        }

        /// The outcome the await state ended with.
        func awaitOutcome(_ cycle: CycleRecord) async throws -> String? {
            try await self.store.transitions(cycleId: cycle.id).first { $0.from == "await_training" }?.outcome
        }

        func requests(matching pattern: String) async throws -> [[String: Any]] {
            let requests = try await self.simulator.state()["requests"] as? [[String: Any]] ?? []
            return requests.filter { "\($0["method"] ?? "") \($0["path"] ?? "")".contains(pattern) }
        }
    }

    @Test func successTriggersOneParameterizedBuildInTheFolderJobAndPromotesOnItsArtifactMetrics() async throws {
        let harness = try await Harness()
        defer { harness.simulator.stop() }
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .promoted, "\(cycle.failure ?? "")")
        let builds = try await harness.simulator.builds()
        #expect(builds.count == 1)
        let parameters = try #require(builds.first?["parameters"] as? [String: Any])
        #expect(parameters["DRIFTLOOP_CYCLE"] as? String == cycle.id)
        #expect(parameters["REASON"] as? String == "drift in tenure")
        #expect(parameters["CYCLE_URL"] as? String == "http://driftloop.test:8080/v1/cycles/\(cycle.id)")
        // The folder path and the crumb flow (API-token auth still fetches it, as python-jenkins does).
        #expect(try await harness.requests(matching: "POST /job/ml/job/retrain/buildWithParameters").count == 1)
        let training = try #require(cycle.decisions["training"])
        #expect(training["metrics"]?["challenger"]?["f1"] == .number(0.9))
        #expect(training["links"]?["console"]?.stringValue?.hasSuffix("/job/ml/job/retrain/1/console") == true)
        #expect(cycle.handles[JenkinsTrainer.buildHandle]?.hasSuffix("/job/ml/job/retrain/1/") == true)
        #expect(cycle.handles[JenkinsTrainer.queueHandle]?.hasSuffix("/queue/item/100/") == true)
    }

    @Test(arguments: [("FAILURE", "failed"), ("UNSTABLE", "unstable"), ("ABORTED", "aborted"), ("NOT_BUILT", "not_built")])
    func eachFailureResultMapsToItsDeclaredOutcome(result: String, outcome: String) async throws {
        let harness = try await Harness(
            config: Self.simulatorConfig(result: result),
            awaitOutcomes: "succeeded: evaluate, failed: failed, unstable: rejected, aborted: cancelled, not_built: no_drift")
        defer { harness.simulator.stop() }
        let cycle = try await harness.runCycle()
        #expect(try await harness.awaitOutcome(cycle) == outcome)
        let expected: [String: CycleOutcome] = ["failed": .failed, "unstable": .rejected, "aborted": .cancelled, "not_built": .noDrift]
        #expect(cycle.outcome == expected[outcome])
        #expect(cycle.decisions["training"]?["result"]?.stringValue == result)
    }

    @Test func unmappedFailureResultsEndAsFailed() async throws {
        let harness = try await Harness(config: Self.simulatorConfig(result: "UNSTABLE"))
        defer { harness.simulator.stop() }
        let cycle = try await harness.runCycle()
        #expect(try await harness.awaitOutcome(cycle) == "failed")
        #expect(cycle.outcome == .failed)
    }

    @Test func passwordAuthenticationSendsTheCrumbBoundToTheSessionCookie() async throws {
        let harness = try await Harness(secret: "alice-password")
        defer { harness.simulator.stop() }
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .promoted, "\(cycle.failure ?? "")")
        #expect(try await harness.requests(matching: "GET /crumbIssuer/api/json").first?["status"] as? Int == 200)
        #expect(try await harness.requests(matching: "POST /job/ml/job/retrain/buildWithParameters").first?["status"] as? Int == 201)
    }

    @Test func withoutCSRFProtectionTheCrumbIssuerIsAbsentAndBuildsStillRun() async throws {
        let harness = try await Harness(config: Self.simulatorConfig(csrf: false), secret: "alice-password")
        defer { harness.simulator.stop() }
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .promoted, "\(cycle.failure ?? "")")
        #expect(try await harness.requests(matching: "GET /crumbIssuer/api/json").first?["status"] as? Int == 404)
    }

    @Test func badCredentialsFailAtOnceWithoutRetriesOrBuilds() async throws {
        let harness = try await Harness(secret: "wrong-token", retryAttempts: 5)
        defer { harness.simulator.stop() }
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .failed)
        #expect(cycle.failure?.contains("rejected the credentials of user `alice`") == true, "\(cycle.failure ?? "")")
        #expect(try await harness.simulator.builds().isEmpty)
        #expect(try await harness.requests(matching: "/crumbIssuer/").count == 1, "a 401 is not retried")
    }

    @Test func aBuildCancelledInTheQueueEndsTheCycleAsAborted() async throws {
        // A long quiet period (and no delay override) keeps the item waiting while someone cancels it in Jenkins.
        let harness = try await Harness(
            config: Self.simulatorConfig(quietSeconds: 1000), delay: nil,
            awaitOutcomes: "succeeded: evaluate, failed: failed, aborted: cancelled")
        defer { harness.simulator.stop() }
        let controller = harness.makeController()
        let acceptance = try await controller.submit(Trigger(kind: .manual, reason: "test"))
        var queueURL: String?
        for _ in 0..<200 where queueURL == nil {
            queueURL = try await harness.store.cycle(id: acceptance.cycleId)?.handles[JenkinsTrainer.queueHandle]
            try await Task.sleep(for: .milliseconds(20))
        }
        let recordedQueueURL = try #require(queueURL)
        let queueId = try #require(JenkinsTrainer.queueId(in: recordedQueueURL))
        let cancel = try await harness.simulator.send("POST", "/queue/cancelItem?id=\(queueId)", user: "alice", token: "alice-api-token")
        #expect(cancel.status == 204)
        await controller.waitForCycle(acceptance.cycleId)
        let cycle = try #require(try await harness.store.cycle(id: acceptance.cycleId))
        #expect(try await harness.awaitOutcome(cycle) == "aborted")
        #expect(cycle.outcome == .cancelled)
        #expect(try await harness.simulator.builds().isEmpty)
    }

    @Test func aQueueItemThatExpiredBeforeItWasReadIsFoundByItsQueueId() async throws {
        // time_scale 0.001: the item waits out a 5 s quiet period, leaves, and is forgotten 0.3 s later; the first
        // poll comes at once (still waiting, even seconds late on a loaded machine), the second six seconds later,
        // when the item is gone.
        let harness = try await Harness(
            config: Self.simulatorConfig(buildSeconds: 3000, timeScale: 0.001, quietSeconds: 5000), poll: "6s", maxPoll: "6s", delay: nil)
        defer { harness.simulator.stop() }
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .promoted, "\(cycle.failure ?? "")")
        #expect(try await harness.requests(matching: "GET /queue/item/100/api/json").contains { $0["status"] as? Int == 404 })
        #expect(try await harness.simulator.builds().count == 1)
        #expect(cycle.handles[JenkinsTrainer.buildHandle]?.hasSuffix("/job/ml/job/retrain/1/") == true)
    }

    @Test func theStateTimeoutAbortsTheRunningBuild() async throws {
        let harness = try await Harness(config: Self.simulatorConfig(buildSeconds: nil), awaitTimeout: "2s")
        defer { harness.simulator.stop() }
        let cycle = try await harness.runCycle()
        #expect(try await harness.awaitOutcome(cycle) == "timeout")
        #expect(cycle.outcome == .failed)
        let transition = try #require(try await harness.store.transitions(cycleId: cycle.id).first { $0.from == "await_training" })
        #expect(transition.details["aborted"] == .bool(true))
        #expect(cycle.failure?.contains("timed out after 2s; the job was stopped on the trainer") == true, "\(cycle.failure ?? "")")
        let build = try #require(try await harness.simulator.builds().first)
        #expect(build["result"] as? String == "ABORTED")
        #expect(try await harness.simulator.state()["stop_calls"] as? Int == 1)
    }

    @Test func aStormOfServerErrorsIsRetriedAndTheCycleRecovers() async throws {
        let harness = try await Harness(retryAttempts: 8)
        defer { harness.simulator.stop() }
        try await harness.simulator.addFaults([
            ["match": "POST .*/buildWithParameters", "times": 3, "kind": "status", "status": 503],
            ["match": "GET /job/ml/job/retrain/1/api/json", "times": 3, "kind": "status", "status": 502],
            ["match": "GET /queue/item/", "times": 1, "kind": "drop"],
        ])
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .promoted, "\(cycle.failure ?? "")")
        #expect(try await harness.simulator.builds().count == 1)
        #expect(try await harness.requests(matching: "POST /job/ml/job/retrain/buildWithParameters").count == 4)
    }

    @Test func aTriggerWhoseAnswerWasLostFindsItsBuildInsteadOfTriggeringAgain() async throws {
        // Jenkins queues the build, then the connection drops before the 201 arrives: a retry must not build twice.
        let harness = try await Harness()
        defer { harness.simulator.stop() }
        try await harness.simulator.addFaults([["match": "POST .*/buildWithParameters", "times": 1, "kind": "drop", "when": "after"]])
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .promoted, "\(cycle.failure ?? "")")
        #expect(try await harness.simulator.builds().count == 1)
        #expect(try await harness.requests(matching: "POST /job/ml/job/retrain/buildWithParameters").count == 1)
    }

    @Test func aControllerRestartWhileTheBuildRunsNeverTriggersASecondBuild() async throws {
        // Not a timeout test: a generous deadline, so a loaded machine cannot end the state early.
        let harness = try await Harness(config: Self.simulatorConfig(buildSeconds: 100), awaitTimeout: "90s")
        defer { harness.simulator.stop() }
        let stopper = StopSwitch()
        let first = harness.makeController { _, _, to, _ in if to == "await_training" { await stopper.fire() } }
        await stopper.arm(first)
        let acceptance = try await first.submit(Trigger(kind: .manual, reason: "test"))
        await first.waitForCycle(acceptance.cycleId)
        await first.stop()
        #expect(try await harness.store.cycle(id: acceptance.cycleId)?.state == "await_training")
        // The build is running (1 s at this time scale) while no controller watches it.
        for _ in 0..<100 where (try await harness.simulator.builds().first?["building"] as? Bool) != true {
            try await Task.sleep(for: .milliseconds(20))
        }
        let second = harness.makeController()
        await second.resume(cycleId: acceptance.cycleId)
        await second.waitForCycle(acceptance.cycleId)
        let cycle = try #require(try await harness.store.cycle(id: acceptance.cycleId))
        #expect(cycle.outcome == .promoted, "\(cycle.failure ?? "")")
        #expect(try await harness.simulator.builds().count == 1)
        #expect(try await harness.requests(matching: "buildWithParameters").count == 1)
    }
}
