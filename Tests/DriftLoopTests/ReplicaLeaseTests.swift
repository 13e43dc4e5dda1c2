import Foundation
import Testing

@testable import DriftLoop

/// Several controllers on one PostgreSQL: each pipeline's cycles are run by the replica holding its lease, and a dead
/// replica's pipelines move to another one within the lease's time to live.
@Suite(.enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipMessage)))
struct ReplicaLeaseTests {
    @Test func leasesGoToOneReplicaAndMoveWhenItStopsRenewing() async throws {
        let store = try await TestPostgres.openFreshStore()
        let pipelines = ["a", "b", "c"]
        // Only lower bounds on time are asserted, so a loaded machine cannot make this fail: replica-1's short lease
        // must be gone after its TTL; replica-2's long one must still be held when replica-1 asks again.
        let first = LeaseKeeper(owner: "replica-1", store: store, pipelines: pipelines, ttl: .seconds(1), logger: TestData.quietLogger)
        let second = LeaseKeeper(owner: "replica-2", store: store, pipelines: pipelines, ttl: .seconds(60), logger: TestData.quietLogger)
        #expect(await first.renew() == Set(pipelines))
        let holders = try await store.leaseHolders()
        #expect(holders.isEmpty || holders == ["a": "replica-1", "b": "replica-1", "c": "replica-1"])
        try await Task.sleep(for: .milliseconds(850))
        // replica-1 stopped renewing: it stops acting before its lease ends (80% of the TTL), and replica-2 takes over after.
        #expect(await first.owns("a") == false)
        try await Task.sleep(for: .milliseconds(250))
        #expect(await second.renew() == Set(pipelines))
        #expect(try await store.leaseHolders() == ["a": "replica-2", "b": "replica-2", "c": "replica-2"])
        #expect(await first.renew().isEmpty, "a lapsed owner does not get its leases back while another holds them")
        #expect(await first.ownedPipelines.isEmpty)
    }

    @Test func aReplicaHoldingLeasesKeepsThemFromOthers() async throws {
        let store = try await TestPostgres.openFreshStore()
        let first = LeaseKeeper(owner: "replica-1", store: store, pipelines: ["a", "b"], ttl: .seconds(60), logger: TestData.quietLogger)
        let second = LeaseKeeper(owner: "replica-2", store: store, pipelines: ["a", "b", "c"], ttl: .seconds(60), logger: TestData.quietLogger)
        #expect(await first.renew() == ["a", "b"])
        #expect(await second.renew() == ["c"], "only the pipeline nobody holds")
        #expect(await first.ownedPipelines == ["a", "b"])
        #expect(await second.owns("a") == false)
    }

    @Test func releasedLeasesAreTakenAtOnceAndARestartedReplicaKeepsItsOwn() async throws {
        let store = try await TestPostgres.openFreshStore()
        let first = LeaseKeeper(owner: "host:8080", store: store, pipelines: ["a"], ttl: .seconds(30), logger: TestData.quietLogger)
        #expect(await first.renew() == ["a"])
        // The same replica started again (after kill -9) has the same name: its lease is its own at once.
        let restarted = LeaseKeeper(owner: "host:8080", store: store, pipelines: ["a"], ttl: .seconds(30), logger: TestData.quietLogger)
        #expect(await restarted.renew() == ["a"])
        await restarted.release()
        let other = LeaseKeeper(owner: "host:8081", store: store, pipelines: ["a"], ttl: .seconds(30), logger: TestData.quietLogger)
        #expect(await other.renew() == ["a"], "a released lease does not wait for its expiry")
    }

    @Test func twoReplicasRunEachCycleOnceAndTheSurvivorFinishesTheDeadOnesCycles() async throws {
        let url = try await TestPostgres.freshDatabaseURL()
        let directory = TemporaryDirectory()
        let trainer = FakeTrainer(behaviour: .succeed(challenger: ["f1": 0.8, "accuracy": 0.8], champion: nil), directory: directory)
        let registry = BuiltinRegistry(directory: directory.file("registry"))
        let pipelines = try (0..<6).map { index in
            try TestData.pipeline(TestData.pipelineYAML(name: "p\(index)", cooldown: "10m", awaitPoll: "50ms"), directory: directory)
        }
        // Jobs run until released, so the kill lands while every cycle is in flight, however loaded the machine.
        await trainer.holdJobs(true)
        func replica(_ name: String) async throws -> (Controller, Task<Void, Never>) {
            let store = try await PostgresCycleStore.open(settings: try PostgresConnectionSettings(url: url), logger: TestData.quietLogger)
            // A TTL well above the renewal interval, so a loaded machine's late renewal never hands a lease over early.
            let keeper = LeaseKeeper(owner: name, store: store, pipelines: pipelines.map(\.name), ttl: .seconds(3), logger: TestData.quietLogger)
            let services = PipelineServices(trainer: trainer, registry: registry, dataLoader: DataLoader(client: .init()))
            let controller = Controller(pipelines: pipelines, store: store, services: { _ in services }, logger: TestData.quietLogger, leases: keeper)
            _ = try await controller.resumeRunningCycles()
            return (controller, Task { await controller.runReplication(poll: .milliseconds(100)) })
        }
        let (first, firstLoop) = try await replica("replica-1")
        let (second, secondLoop) = try await replica("replica-2")

        // A storm to both replicas: each pipeline gets triggers through each; one cycle starts, the rest join it (or
        // its cooldown, once it has ended).
        var started: Set<String> = []
        var accepted = 0
        for round in 0..<3 {
            for pipeline in pipelines {
                let via = round % 2 == 0 ? first : second
                let acceptance = try await via.submit(
                    pipeline: pipeline.name, trigger: Trigger(kind: .driftWebhook, dedupKey: "\(pipeline.name)-\(round)"))
                accepted += 1
                if acceptance.disposition == .started { started.insert(acceptance.cycleId) }
            }
        }
        #expect(started.count == pipelines.count)
        let store = second.store
        let inFlight = Date().addingTimeInterval(60)
        while Date() < inFlight, try await store.runningCycles().filter({ $0.state == "await_training" }).count < pipelines.count {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await store.runningCycles().filter { $0.state == "await_training" }.count == pipelines.count, "every cycle is training")
        #expect(
            Set(try await (store as? PostgresCycleStore)?.leaseHolders().values.map { $0 } ?? []) == ["replica-1"],
            "replica-1 started first and holds every lease")
        // replica-1 dies mid-way: its actions stop and its leases are left to expire; then the jobs finish.
        firstLoop.cancel()
        await first.stop(releaseLeases: false)
        await trainer.holdJobs(false)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, try await !store.runningCycles().isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        let holders = try await (store as? PostgresCycleStore)?.leaseHolders()
        #expect(Set(holders?.values.map { $0 } ?? []) == ["replica-2"], "the survivor took every lease")
        secondLoop.cancel()
        await second.stop()

        #expect(try await store.runningCycles().isEmpty, "every cycle ends after the takeover")
        var triggers = 0
        for cycleId in started {
            let cycle = try #require(try await store.cycle(id: cycleId))
            #expect(cycle.outcome == .promoted, "\(cycle.pipeline): \(cycle.state) \(cycle.failure ?? "")")
            triggers += try await store.triggers(cycleId: cycleId).count
            let path = try await store.transitions(cycleId: cycleId).map(\.to)
            #expect(Set(path).count == path.count, "no state entered twice: \(path)")
            let promotions = try await store.championHistory(model: cycle.pipeline + "-model").filter { $0.cycleId == cycleId }
            #expect(promotions.count == 1)
        }
        #expect(triggers == accepted, "every accepted trigger is in a cycle")
        #expect(await trainer.jobsCreated == pipelines.count, "one training job per cycle")
    }
}
