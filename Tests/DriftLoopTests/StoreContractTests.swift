import Foundation
import Testing

@testable import DriftLoop

/// What every cycle store must do, run against SQLite, against a real PostgreSQL and against the in-memory store.
enum StoreContract: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case triggerDispositions, staleTransitionsAreRefused, handlesAndCancels, rollbacksAndChampionHistory, retentionAndExport
    case alertResolutionsOnce, feedbackLabelOrder, pauses, concurrentTriggersStartOneCycle, batchOfTriggers
    case triggerPages, feedbackRetention

    var testDescription: String { self.rawValue }

    func run(_ open: @Sendable () async throws -> any CycleStore) async throws {
        let store = try await open()
        let now = Date()
        switch self {
        case .triggerDispositions:
            let first = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .manual, dedupKey: "a"), initialState: "detect", cooldown: .seconds(60), now: now)
            #expect(first.disposition == .started)
            let again = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .manual, dedupKey: "a"), initialState: "detect", cooldown: .seconds(60), now: now)
            #expect(again.disposition == .duplicate && again.cycleId == first.cycleId)
            let joined = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .driftWebhook), initialState: "detect", cooldown: .seconds(60), now: now)
            #expect(joined.disposition == .joinedRunning && joined.cycleId == first.cycleId)
            try await store.commit(
                TransitionCommit(cycleId: first.cycleId, from: "detect", to: "no_drift", outcome: "no_drift", finishing: .noDrift), at: now)
            let cooled = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .driftWebhook), initialState: "detect", cooldown: .seconds(60), now: now.addingTimeInterval(1))
            #expect(cooled.disposition == .joinedCooldown && cooled.cycleId == first.cycleId)
            let forced = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .manual, force: true), initialState: "detect", cooldown: .seconds(60),
                now: now.addingTimeInterval(2))
            #expect(forced.disposition == .started && forced.cycleId != first.cycleId)
            #expect(try await store.triggers(cycleId: first.cycleId).map(\.disposition) == [.started, .duplicate, .joinedRunning, .joinedCooldown])
            let cycle = try #require(try await store.cycle(id: first.cycleId))
            #expect(cycle.status == .finished && cycle.outcome == .noDrift && cycle.decisions["trigger"]?["kind"]?.stringValue == "manual")
            #expect(try await store.runningCycles().map(\.id) == [forced.cycleId])
            #expect(try await store.cycles(pipeline: "p", limit: 10).map(\.id) == [forced.cycleId, first.cycleId])
        case .staleTransitionsAreRefused:
            let started = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .manual), initialState: "detect", cooldown: .zero, now: now)
            try await store.commit(
                TransitionCommit(cycleId: started.cycleId, from: "detect", to: "train", outcome: "drift", decisions: ["drift": ["share": 0.5]]),
                at: now)
            await #expect(throws: StoreError.self) {
                try await store.commit(TransitionCommit(cycleId: started.cycleId, from: "detect", to: "train", outcome: "drift"), at: now)
            }
            await #expect(throws: StoreError.self) {
                try await store.commit(TransitionCommit(cycleId: "c-none", from: "detect", to: "train", outcome: "drift"), at: now)
            }
            let transitions = try await store.transitions(cycleId: started.cycleId)
            #expect(transitions.map(\.to) == ["detect", "train"])
            #expect(try await store.cycle(id: started.cycleId)?.decisions["drift"]?["share"]?.numberValue == 0.5)
        case .handlesAndCancels:
            let started = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .manual), initialState: "detect", cooldown: .zero, now: now)
            try await store.recordHandle(cycleId: started.cycleId, key: "training_job", value: "job-1")
            try await store.recordHandle(cycleId: started.cycleId, key: "queue", value: "q-7")
            #expect(try await store.cycle(id: started.cycleId)?.handles == ["training_job": "job-1", "queue": "q-7"])
            #expect(try await store.requestCancel(cycleId: started.cycleId))
            #expect(try await store.cycle(id: started.cycleId)?.cancelRequested == true)
            try await store.commit(
                TransitionCommit(cycleId: started.cycleId, from: "detect", to: "cancelled", outcome: "cancelled", finishing: .cancelled), at: now)
            #expect(try await !store.requestCancel(cycleId: started.cycleId), "a finished cycle cannot be cancelled")
            await #expect(throws: StoreError.self) { try await store.recordHandle(cycleId: "c-none", key: "k", value: "v") }
        case .rollbacksAndChampionHistory:
            try await store.recordChampionChange(
                ChampionChange(
                    model: "m", version: "1", previousVersion: nil, cycleId: "c1", kind: .promotion, at: now, actor: "controller", reason: nil))
            try await store.recordChampionChange(
                ChampionChange(
                    model: "m", version: "2", previousVersion: "1", cycleId: "c2", kind: .promotion, at: now, actor: "controller", reason: nil))
            let rollback = try await store.recordRollback(
                pipeline: "p",
                change: ChampionChange(
                    model: "m", version: "1", previousVersion: "2", cycleId: nil, kind: .rollback, at: now, actor: "alice", reason: "bad"),
                decisions: ["rollback": ["to": "1"]])
            #expect(rollback.kind == .rollback && rollback.status == .finished && rollback.outcome == .rolledBack)
            let history = try await store.championHistory(model: "m")
            #expect(history.map(\.version) == ["1", "2", "1"])
            #expect(history.last?.cycleId == rollback.id && history.last?.actor == "alice")
            // A rollback is not a running cycle: it neither blocks nor joins a new trigger.
            let next = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .manual), initialState: "detect", cooldown: .seconds(3600), now: now)
            #expect(next.disposition == .started)
        case .retentionAndExport:
            var ids: [String] = []
            for index in 0..<4 {
                let at = now.addingTimeInterval(Double(index))
                let started = try await store.acceptTrigger(
                    pipeline: "p", trigger: Trigger(kind: .manual, force: true), initialState: "detect", cooldown: .zero, now: at)
                try await store.commit(
                    TransitionCommit(cycleId: started.cycleId, from: "detect", to: "no_drift", outcome: "no_drift", finishing: .noDrift), at: at)
                ids.append(started.cycleId)
            }
            let running = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .manual), initialState: "detect", cooldown: .zero, now: now.addingTimeInterval(5))
            #expect(try await store.allCycles(pipeline: "p", createdSince: nil).map(\.id) == ids + [running.cycleId])
            #expect(try await store.allCycles(pipeline: nil, createdSince: now.addingTimeInterval(2.5)).map(\.id) == [ids[3], running.cycleId])
            #expect(try await store.deleteFinishedCycles(finishedBefore: now.addingTimeInterval(3600), keepingLatest: 1) == 3)
            #expect(try await store.allCycles(pipeline: "p", createdSince: nil).map(\.id) == [ids[3], running.cycleId])
            #expect(try await store.transitions(cycleId: ids[0]).isEmpty)
            #expect(try await store.triggers(cycleId: ids[0]).isEmpty)
        case .alertResolutionsOnce:
            let firing = try await store.acceptTrigger(
                pipeline: "p", trigger: Trigger(kind: .alertmanager, dedupKey: "am:f1:2026"), initialState: "detect", cooldown: .zero, now: now)
            let first = try await store.recordAlertResolution(
                pipeline: "p", fingerprint: "f1", startsAt: "2026", endsAt: "2027", firingDedupKey: "am:f1:2026", payload: ["status": "resolved"],
                now: now)
            #expect(first.cycleId == firing.cycleId && !first.duplicate)
            let second = try await store.recordAlertResolution(
                pipeline: "p", fingerprint: "f1", startsAt: "2026", endsAt: "2027", firingDedupKey: "am:f1:2026", payload: ["status": "resolved"],
                now: now)
            #expect(second.duplicate)
            let orphan = try await store.recordAlertResolution(
                pipeline: "p", fingerprint: "f9", startsAt: "2026", endsAt: nil, firingDedupKey: "am:f9:2026", payload: .null, now: now)
            #expect(orphan.cycleId == nil && !orphan.duplicate)
        case .feedbackLabelOrder:
            let batch = [
                FeedbackRecord(id: "r1", prediction: "1", score: 0.9, label: nil),
                FeedbackRecord(id: "r2", prediction: "0", score: 0.2, label: "0"),
            ]
            #expect(
                try await store.ingestFeedback(pipeline: "p", records: batch) == FeedbackIngestResult(accepted: 2, labelsJoined: 0, duplicates: 0))
            let late = [
                FeedbackRecord(id: "r1", prediction: nil, score: nil, label: "1"), FeedbackRecord(id: "r2", prediction: "0", score: 0.2, label: "0"),
            ]
            #expect(try await store.ingestFeedback(pipeline: "p", records: late) == FeedbackIngestResult(accepted: 0, labelsJoined: 1, duplicates: 1))
            let labelled = try await store.labelledFeedback(pipeline: "p", after: 0, limit: 10)
            #expect(labelled.map(\.id) == ["r2", "r1"] && labelled.map(\.labelledSeq) == [1, 2])
            #expect(labelled.last?.score == 0.9)
            try await store.saveMonitorSnapshot(MonitorSnapshotRecord(pipeline: "p", throughSeq: 2, state: "{}"))
            try await store.saveMonitorSnapshot(MonitorSnapshotRecord(pipeline: "p", throughSeq: 3, state: "{\"n\":1}"))
            #expect(try await store.monitorSnapshot(pipeline: "p") == MonitorSnapshotRecord(pipeline: "p", throughSeq: 3, state: "{\"n\":1}"))
        case .pauses:
            #expect(try await store.pausePipeline(PipelinePause(pipeline: "p", pausedAt: now, actor: "alice", reason: "maintenance")))
            #expect(try await !store.pausePipeline(PipelinePause(pipeline: "p", pausedAt: now, actor: "bob", reason: nil)), "the first pause is kept")
            #expect(try await store.pausedPipelines().map(\.actor) == ["alice"])
            #expect(try await store.resumePipeline("p"))
            #expect(try await !store.resumePipeline("p"))
            #expect(try await store.pausedPipelines().isEmpty)
        case .batchOfTriggers:
            // One transaction, decided in order: the first starts the cycle, a repeated key is a duplicate, the rest join.
            let batch = [
                Trigger(kind: .alertmanager, dedupKey: "am:1"), Trigger(kind: .alertmanager, dedupKey: "am:1"),
                Trigger(kind: .alertmanager, dedupKey: "am:2"),
                Trigger(kind: .alertmanager, dedupKey: "am:3", force: true),
            ]
            let acceptances = try await store.acceptTriggers(pipeline: "p", triggers: batch, initialState: "detect", cooldown: .seconds(60), now: now)
            #expect(acceptances.map(\.disposition) == [.started, .duplicate, .joinedRunning, .joinedRunning])
            #expect(Set(acceptances.map(\.cycleId)).count == 1)
            #expect(Set(acceptances.map(\.triggerId)).count == 4)
            #expect(try await store.triggers(cycleId: acceptances[0].cycleId).count == 4)
            #expect(try await store.acceptTriggers(pipeline: "p", triggers: [], initialState: "detect", cooldown: .zero, now: now).isEmpty)
        case .concurrentTriggersStartOneCycle:
            // Many triggers at once (on PostgreSQL, through pooled connections as from several replicas): one starts
            // the cycle, every other one joins it, none is lost.
            let acceptances = try await withThrowingTaskGroup(of: TriggerAcceptance.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await store.acceptTrigger(
                            pipeline: "storm", trigger: Trigger(kind: .driftWebhook, dedupKey: "event-\(index % 20)"), initialState: "detect",
                            cooldown: .seconds(60), now: Date())
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(acceptances.filter { $0.disposition == .started }.count == 1)
            #expect(Set(acceptances.map(\.cycleId)).count == 1)
            #expect(acceptances.filter { $0.disposition == .duplicate }.count == 20)
            #expect(try await store.triggers(cycleId: acceptances[0].cycleId).count == 40)
        case .triggerPages:
            let acceptances = try await store.acceptTriggers(
                pipeline: "p", triggers: (0..<25).map { _ in Trigger(kind: .driftWebhook) }, initialState: "detect", cooldown: .seconds(60), now: now)
            let cycle = acceptances[0].cycleId
            #expect(try await store.triggerCount(cycleId: cycle) == 25)
            let first = try await store.triggers(cycleId: cycle, after: Int64.min, limit: 10)
            let second = try await store.triggers(cycleId: cycle, after: try #require(first.last?.id), limit: 10)
            let third = try await store.triggers(cycleId: cycle, after: try #require(second.last?.id), limit: 10)
            #expect((first.count, second.count, third.count) == (10, 10, 5))
            #expect((first + second + third).map(\.id) == (try await store.triggers(cycleId: cycle)).map(\.id))
            #expect(try await store.triggerCount(cycleId: "none") == 0)
        case .feedbackRetention:
            let records = (0..<10).map { FeedbackRecord(id: "r\($0)", prediction: "1", label: $0 < 6 ? "1" : nil) }
            _ = try await store.ingestFeedback(pipeline: "p", records: records)
            _ = try await store.ingestFeedback(pipeline: "other", records: records)
            // A monitor has read labels 1...3 of the 6.
            try await store.saveMonitorSnapshot(MonitorSnapshotRecord(pipeline: "p", throughSeq: 3, state: "{}"))
            let removed = try await store.deleteFeedback(pipeline: "p", receivedBefore: nil, keepingLatest: 2, consumedThrough: 3)
            // Beyond the newest 2 (r9, r8): unlabelled r6, r7 and consumed labels r0...r2 go; unread labels r3...r5 stay.
            #expect(removed == 5)
            #expect(try await store.labelledFeedback(pipeline: "p", after: 0, limit: 100).map(\.id) == ["r3", "r4", "r5"])
            // Label numbers go on from the last one, whatever was pruned.
            _ = try await store.ingestFeedback(pipeline: "p", records: [FeedbackRecord(id: "late", prediction: "0", label: "0")])
            #expect(try await store.labelledFeedback(pipeline: "p", after: 6, limit: 10).map(\.labelledSeq) == [7])
            // By age, with no monitor: everything but the newest label (its number must not be reused).
            let aged = try await store.deleteFeedback(
                pipeline: "p", receivedBefore: now.addingTimeInterval(60), keepingLatest: nil, consumedThrough: nil)
            #expect(aged == 5)
            #expect(try await store.labelledFeedback(pipeline: "p", after: 0, limit: 100).map(\.id) == ["late"])
            #expect(try await store.labelledFeedback(pipeline: "other", after: 0, limit: 100).count == 6, "other pipelines are untouched")
        }
    }
}

@Suite struct SQLiteStoreContractTests {
    @Test(arguments: StoreContract.allCases)
    func contract(_ contract: StoreContract) async throws {
        try await contract.run { try SQLiteCycleStore(path: TemporaryDirectory().file("driftloop.sqlite")) }
    }
}

@Suite struct InMemoryStoreContractTests {
    @Test(arguments: StoreContract.allCases)
    func contract(_ contract: StoreContract) async throws {
        try await contract.run { InMemoryCycleStore() }
    }
}

@Suite(.enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipMessage)))
struct PostgresStoreContractTests {
    @Test(arguments: StoreContract.allCases)
    func contract(_ contract: StoreContract) async throws {
        try await contract.run { try await TestPostgres.openFreshStore() }
    }

    @Test(arguments: RestartTests.promotingStates)
    func restartOnThePromotingPath(state: String) async throws {
        try await RestartTests().restart(
            in: state, behaviour: .succeed(challenger: ["f1": 0.8, "accuracy": 0.8], champion: nil), expected: .promoted, storeKind: .postgres)
    }

    @Test func migrationsRunOnceWhenReplicasStartTogether() async throws {
        let url = try await TestPostgres.freshDatabaseURL()
        let stores = try await withThrowingTaskGroup(of: PostgresCycleStore.self) { group in
            for _ in 0..<3 {
                group.addTask { try await PostgresCycleStore.open(settings: try PostgresConnectionSettings(url: url), logger: TestData.quietLogger) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let started = try await stores[0].acceptTrigger(
            pipeline: "p", trigger: Trigger(kind: .manual), initialState: "detect", cooldown: .zero, now: Date())
        #expect(try await stores[2].cycle(id: started.cycleId)?.state == "detect")
        for store in stores { store.close() }
    }

    @Test func aBadURLOrADeadServerSaysWhatToCheck() async throws {
        #expect(throws: PostgresStoreError.self) { try PostgresConnectionSettings(url: "mysql://x@h/d") }
        let settings = try PostgresConnectionSettings(url: "postgres://driftloop:secret-pw@127.0.0.1:1/driftloop", connectTimeout: .milliseconds(600))
        #expect(!settings.description.contains("secret-pw"))
        do {
            _ = try await PostgresCycleStore.open(settings: settings, logger: TestData.quietLogger)
            Issue.record("opened a store on a closed port")
        } catch {
            #expect("\(error)".contains("cannot reach PostgreSQL"))
            #expect(!"\(error)".contains("secret-pw"))
        }
    }
}
