import Foundation
import Testing

@testable import DriftLoop

/// `max_concurrent_cycles`: an alert storm over many pipelines runs at most N cycles at once, in arrival order.
@Suite struct ConcurrencyCapTests {
    actor Probe {
        var running = 0
        var most = 0
        var order: [String] = []
        func enter(_ pipeline: String) {
            self.running += 1
            self.most = max(self.most, self.running)
            self.order.append(pipeline)
        }
        func leave() { self.running -= 1 }
    }

    /// A detect state that takes a while and finds no drift, so each cycle is one timed step.
    struct SlowDetect: Action {
        let probe: Probe
        func run(_ context: ActionContext) async throws -> ActionResult {
            await self.probe.enter(context.pipeline.name)
            try await Task.sleep(for: .milliseconds(400))
            await self.probe.leave()
            return ActionResult(outcome: "no_drift")
        }
    }

    @Test func atMostTheCapRunsAndQueuedCyclesStartInArrivalOrder() async throws {
        let directory = TemporaryDirectory()
        let names = ["a", "b", "c", "d", "e"]
        let pipelines = try names.map { try TestData.pipeline(TestData.pipelineYAML(name: $0), directory: directory) }
        let store = try SQLiteCycleStore(path: directory.file("driftloop.sqlite"))
        let probe = Probe()
        let trainer = FakeTrainer(behaviour: .runForever, directory: directory)
        let controller = Controller(
            pipelines: pipelines, store: store,
            services: { _ in
                PipelineServices(
                    trainer: trainer, registry: BuiltinRegistry(directory: directory.file("registry")), dataLoader: DataLoader(client: .init()))
            },
            logger: TestData.quietLogger, slots: CycleSlots(limit: 2),
            makeAction: { kind in kind == .detectDrift ? SlowDetect(probe: probe) : kind.make() })
        var cycles: [String] = []
        for name in names {
            let acceptance = try await controller.submit(pipeline: name, trigger: Trigger(kind: .alertmanager, dedupKey: "storm-\(name)"))
            #expect(acceptance.disposition == .started)
            cycles.append(acceptance.cycleId)
        }
        for cycle in cycles { await controller.waitForCycle(cycle) }
        #expect(await probe.most == 2)
        // Slots go in acceptance order; cycles granted together may enter their first action in either order.
        let order = await probe.order
        #expect(Set(order.prefix(2)) == ["a", "b"])
        #expect(Set(order.dropFirst(2).prefix(2)) == ["c", "d"])
        #expect(order.last == "e")
        for cycle in cycles { #expect(try await store.cycle(id: cycle)?.outcome == .noDrift) }
    }
}
