import Foundation
import Testing

@testable import DriftLoop

/// Stops the controller right after each transition is stored, starts a new one on the same store, and
/// checks that the cycle ends with exactly one training job and at most one promotion.
@Suite struct RestartTests {
    static let promotingStates = ["detect", "train", "await_training", "evaluate", "promote"]
    static let rejectingStates = ["detect", "train", "await_training", "evaluate", "reject"]

    func restart(in state: String, behaviour: FakeTrainer.Behaviour, expected: CycleOutcome, storeKind: TestStoreKind = .sqlite) async throws {
        let harness = try await ControllerHarness(storeKind: storeKind, behaviour: behaviour)
        let stopper = StopSwitch()
        let first = harness.makeController { _, _, to, _ in
            if to == state { await stopper.fire() }
        }
        await stopper.arm(first)
        let acceptance: TriggerAcceptance
        if state == harness.pipeline.initialState {
            // The first transition is stored with the trigger itself: a crash right after the 202.
            acceptance = try await harness.store.acceptTrigger(
                pipeline: harness.pipeline.name, trigger: Trigger(kind: .driftWebhook), initialState: state, cooldown: .zero, now: Date())
        } else {
            acceptance = try await first.submit(Trigger(kind: .driftWebhook))
            await first.waitForCycle(acceptance.cycleId)
        }
        await first.stop()
        let paused = try #require(try await harness.store.cycle(id: acceptance.cycleId))
        #expect(paused.status == .running, "stopped in \(state)")
        #expect(paused.state == state)

        let second = harness.makeController()
        await second.resume(cycleId: acceptance.cycleId)
        await second.waitForCycle(acceptance.cycleId)
        let cycle = try #require(try await harness.store.cycle(id: acceptance.cycleId))
        #expect(cycle.outcome == expected, "restart in \(state)")
        #expect(await harness.trainer.jobsCreated == 1, "restart in \(state): one training job")
        let promotions = try await harness.store.championHistory(model: "churn-model").filter { $0.cycleId == acceptance.cycleId }
        #expect(promotions.count == (expected == .promoted ? 1 : 0), "restart in \(state): promotions")
        #expect(try await harness.registry.versions(model: "churn-model").count == 1, "restart in \(state): one registered version")
        let path = try await harness.path(of: cycle.id)
        #expect(Set(path).count == path.count, "restart in \(state): no state entered twice: \(path)")
    }

    @Test(arguments: RestartTests.promotingStates)
    func restartOnThePromotingPath(state: String) async throws {
        try await self.restart(in: state, behaviour: .succeed(challenger: ["f1": 0.8, "accuracy": 0.8], champion: nil), expected: .promoted)
    }

    @Test(arguments: RestartTests.rejectingStates)
    func restartOnTheRejectingPath(state: String) async throws {
        try await self.restart(
            in: state, behaviour: .succeed(challenger: ["f1": 0.5, "accuracy": 0.8], champion: ["f1": 0.8, "accuracy": 0.8]), expected: .rejected)
    }

    @Test func controllerResumesEveryRunningCycleAtStart() async throws {
        let harness = try ControllerHarness()
        let stopper = StopSwitch()
        let first = harness.makeController { _, _, to, _ in if to == "await_training" { await stopper.fire() } }
        await stopper.arm(first)
        let acceptance = try await first.submit(Trigger(kind: .driftWebhook))
        await first.waitForCycle(acceptance.cycleId)
        await first.stop()

        let pipeline = harness.pipeline
        let services = PipelineServices(trainer: harness.trainer, registry: harness.registry, dataLoader: DataLoader(client: .init()))
        let controller = Controller(pipelines: [pipeline], store: harness.store, services: { _ in services }, logger: TestData.quietLogger)
        #expect(try await controller.resumeRunningCycles() == 1)
        await controller.waitForCycle(acceptance.cycleId)
        #expect(try await harness.store.cycle(id: acceptance.cycleId)?.outcome == .promoted)
    }
}

/// Stops a controller from inside its transition observer.
actor StopSwitch {
    private var controller: PipelineController?

    func arm(_ controller: PipelineController) {
        self.controller = controller
    }

    func fire() async {
        await self.controller?.requestStop()
    }
}
