import Foundation
import Testing

@testable import DriftLoop

/// Every transition of the example graph, plus cooldown, dedup, cancel, timeout and retry.
@Suite struct ControllerTests {
    @Test func driftWebhookGoesThroughEveryStateToPromoted() async throws {
        let harness = try ControllerHarness()
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .promoted)
        #expect(try await harness.path(of: cycle.id) == ["detect", "train", "await_training", "evaluate", "promote", "promoted"])
        let transitions = try await harness.store.transitions(cycleId: cycle.id)
        #expect(transitions.map(\.outcome) == ["started", "drift", "started", "succeeded", "better", "promoted"])
        #expect(cycle.decisions["drift"]?["dataset_drift"]?.boolValue == true)
        #expect(cycle.decisions["evaluation"]?["is_better"]?.boolValue == true)
        #expect(try await harness.registry.champion(model: "churn-model")?.version == "1")
        let history = try await harness.store.championHistory(model: "churn-model")
        #expect(history.count == 1 && history.first?.cycleId == cycle.id)
    }

    @Test func manualRetrainIsForced() async throws {
        let harness = try ControllerHarness()
        let cycle = try await harness.runCycle(Trigger(kind: .manual, reason: "new features"))
        #expect(try await harness.store.transitions(cycleId: cycle.id).map(\.outcome).prefix(2) == ["started", "forced"])
        #expect(cycle.outcome == .promoted)
        #expect(cycle.decisions["drift"] != nil)
    }

    @Test func noDriftEndsTheCycle() async throws {
        let harness = try ControllerHarness(yaml: TestData.pipelineYAML(current: TestData.reference))
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .noDrift)
        #expect(try await harness.path(of: cycle.id) == ["detect", "no_drift"])
        #expect(await harness.trainer.startCalls == 0)
    }

    @Test func worseChallengerIsRejectedAndTagged() async throws {
        let harness = try ControllerHarness(behaviour: .succeed(challenger: ["f1": 0.70, "accuracy": 0.8], champion: ["f1": 0.75, "accuracy": 0.8]))
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .rejected)
        #expect(try await harness.path(of: cycle.id) == ["detect", "train", "await_training", "evaluate", "reject", "rejected"])
        let versions = try await harness.registry.versions(model: "churn-model")
        #expect(versions.count == 1)
        #expect(versions.first?.tags["driftloop.rejected"]?.contains("f1") == true)
        #expect(try await harness.registry.champion(model: "churn-model") == nil)
        let rules = cycle.decisions["evaluation"]?["rules"]
        #expect(rules != nil)
    }

    @Test func guardRegressionRejectsABetterPrimary() async throws {
        let harness = try ControllerHarness(behaviour: .succeed(challenger: ["f1": 0.9, "accuracy": 0.7], champion: ["f1": 0.8, "accuracy": 0.8]))
        #expect(try await harness.runCycle().outcome == .rejected)
    }

    @Test func failedTrainingEndsFailed() async throws {
        let harness = try ControllerHarness(behaviour: .fail("out of memory"))
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .failed)
        #expect(try await harness.path(of: cycle.id) == ["detect", "train", "await_training", "failed"])
    }

    @Test func transientErrorsAreRetriedWithinTheBudget() async throws {
        let harness = try ControllerHarness(transientStartFailures: 2)
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .promoted)
        #expect(await harness.trainer.startCalls == 3)
        #expect(await harness.trainer.jobsCreated == 1)
    }

    @Test func retriesStopAtTheDeclaredAttempts() async throws {
        let harness = try ControllerHarness(yaml: TestData.pipelineYAML(retryAttempts: 2), transientStartFailures: 5)
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .failed)
        #expect(await harness.trainer.startCalls == 2)
        #expect(cycle.failure?.contains("503") == true)
        #expect(try await harness.store.transitions(cycleId: cycle.id).last?.outcome == "error")
    }

    @Test func permanentErrorsAreNotRetried() async throws {
        let harness = try ControllerHarness(permanentStartFailure: "trainer refused: HTTP 400 bad target")
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .failed)
        #expect(await harness.trainer.startCalls == 1)
        #expect(cycle.failure == "train: trainer refused: HTTP 400 bad target")
    }

    @Test func waitingStateTimesOut() async throws {
        let harness = try ControllerHarness(yaml: TestData.pipelineYAML(awaitTimeout: "300ms"), behaviour: .runForever)
        let start = ContinuousClock.now
        let cycle = try await harness.runCycle()
        #expect(cycle.outcome == .failed)
        #expect(try await harness.store.transitions(cycleId: cycle.id).last?.outcome == "timeout")
        #expect(cycle.failure?.contains("timed out after 300ms") == true)
        // Only that the timeout fires rather than hanging: CPU-bound suites share the two cores in a full run.
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    /// The same on the controller's clock: a two-hour timeout passes when the clock is moved, not in two hours.
    @Test func aStatesTimeoutIsKeptOnTheControllersClock() async throws {
        let harness = try ControllerHarness(yaml: TestData.pipelineYAML(awaitTimeout: "2h"), behaviour: .runForever)
        let clock = ManualClock()
        let controller = harness.makeController(clock: clock)
        let acceptance = try await controller.submit(Trigger(kind: .driftWebhook, reason: "test"))
        for _ in 0..<2000 where try await harness.store.cycle(id: acceptance.cycleId)?.state != "await_training" {
            try await Task.sleep(for: .milliseconds(5))
        }
        // The state's deadline and the trainer poll both wait on the manual clock.
        try await clock.waitForSleepers(2)
        clock.advance(by: .seconds(3600))
        try await clock.waitForSleepers(2)
        #expect(try await harness.store.cycle(id: acceptance.cycleId)?.status == .running, "an hour in, the state is still waiting")
        clock.advance(by: .seconds(3601))
        // Bounded, so a deadline that ignores the clock fails here instead of hanging the suite.
        for _ in 0..<3000 where try await harness.store.cycle(id: acceptance.cycleId)?.status != .finished {
            try await Task.sleep(for: .milliseconds(10))
        }
        let cycle = try #require(try await harness.store.cycle(id: acceptance.cycleId))
        #expect(cycle.outcome == .failed)
        #expect(cycle.failure?.contains("timed out after 2h") == true)
    }

    @Test func cancelEndsARunningCycle() async throws {
        let harness = try ControllerHarness(behaviour: .runForever)
        let controller = harness.makeController()
        let acceptance = try await controller.submit(Trigger(kind: .manual))
        while try await harness.store.cycle(id: acceptance.cycleId)?.state != "await_training" { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try await controller.cancel(cycleId: acceptance.cycleId))
        await controller.waitForCycle(acceptance.cycleId)
        let cycle = try #require(try await harness.store.cycle(id: acceptance.cycleId))
        #expect(cycle.outcome == .cancelled)
        #expect(try await harness.path(of: cycle.id).last == "cancelled")
        #expect(try await controller.cancel(cycleId: acceptance.cycleId) == false)
    }

    @Test func triggersDuringACycleJoinIt() async throws {
        let harness = try ControllerHarness(behaviour: .runForever)
        let controller = harness.makeController()
        let first = try await controller.submit(Trigger(kind: .driftWebhook))
        let second = try await controller.submit(Trigger(kind: .manual, force: true))
        #expect(second.disposition == .joinedRunning)
        #expect(second.cycleId == first.cycleId)
        #expect(try await harness.store.triggers(cycleId: first.cycleId).count == 2)
        await controller.stop()
    }

    @Test func cooldownFoldsTriggersIntoTheLastCycleUnlessForced() async throws {
        let harness = try ControllerHarness()
        let controller = harness.makeController()
        let first = try await harness.runCycle(controller: controller)
        let inCooldown = try await controller.submit(Trigger(kind: .driftWebhook))
        #expect(inCooldown.disposition == .joinedCooldown)
        #expect(inCooldown.cycleId == first.id)
        let forced = try await controller.submit(Trigger(kind: .manual, force: true))
        #expect(forced.disposition == .started)
        await controller.waitForCycle(forced.cycleId)
        #expect(try await harness.store.cycles(pipeline: "churn", limit: 10).count == 2)
    }

    @Test func noCooldownMeansANewCycle() async throws {
        let harness = try ControllerHarness(yaml: TestData.pipelineYAML(cooldown: "0s"))
        let controller = harness.makeController()
        _ = try await harness.runCycle(controller: controller)
        #expect(try await controller.submit(Trigger(kind: .driftWebhook)).disposition == .started)
        await controller.stop()
    }

    @Test func duplicateEventsJoinTheFirstOnesCycle() async throws {
        let harness = try ControllerHarness(yaml: TestData.pipelineYAML(cooldown: "0s"))
        let controller = harness.makeController()
        let first = try await harness.runCycle(Trigger(kind: .alertmanager, dedupKey: "fp-1@2026-11-22T10:00:00Z"), controller: controller)
        let again = try await controller.submit(Trigger(kind: .alertmanager, dedupKey: "fp-1@2026-11-22T10:00:00Z"))
        #expect(again.disposition == .duplicate)
        #expect(again.cycleId == first.id)
        #expect(try await harness.store.cycles(pipeline: "churn", limit: 10).count == 1)
    }

    @Test func concurrentTriggersStartExactlyOneCycle() async throws {
        let harness = try ControllerHarness(behaviour: .runForever)
        let controller = harness.makeController()
        let acceptances = try await withThrowingTaskGroup(of: TriggerAcceptance.self) { group in
            for index in 0..<50 { group.addTask { try await controller.submit(Trigger(kind: .driftWebhook, dedupKey: "e\(index % 10)")) } }
            return try await group.reduce(into: [TriggerAcceptance]()) { $0.append($1) }
        }
        #expect(Set(acceptances.map(\.cycleId)).count == 1)
        #expect(acceptances.filter { $0.disposition == .started }.count == 1)
        await controller.stop()
    }
}
