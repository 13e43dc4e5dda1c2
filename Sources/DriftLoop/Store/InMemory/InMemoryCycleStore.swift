import Foundation

/// A cycle store held in memory, for unit tests of the controller and its rules: the same contract as SQLite and
/// PostgreSQL (`StoreContractTests` runs it against all three), with no file and no server. The actor is the lock the
/// other stores take, so `TriggerPolicy` reads its facts and the store writes its decision in one step. Nothing
/// survives the process.
package actor InMemoryCycleStore: CycleStore {
    private struct StoredTrigger {
        var record: TriggerRecord
    }

    private struct StoredFeedback {
        var seq: Int64
        var record: FeedbackRecord
        var receivedAt: Date
        var labelledSeq: Int64?
    }

    private struct AlertKey: Hashable {
        var pipeline: String
        var fingerprint: String
        var startsAt: String
    }

    /// Cycles by id, and their order of creation (the other stores' rowid).
    private var cycles: [String: CycleRecord] = [:]
    private var creationOrder: [String] = []
    private var transitionsByCycle: [String: [TransitionRecord]] = [:]
    private var triggers: [TriggerRecord] = []
    private var champions: [ChampionChange] = []
    private var alertResolutions: Set<AlertKey> = []
    private var pauses: [String: PipelinePause] = [:]
    private var feedback: [String: [StoredFeedback]] = [:]
    /// The last label number given per pipeline: numbers are never reused, whatever is pruned.
    private var lastLabelSeq: [String: Int64] = [:]
    private var snapshots: [String: MonitorSnapshotRecord] = [:]
    private var nextId: Int64 = 0

    package init() {}

    private func makeId() -> Int64 {
        self.nextId += 1
        return self.nextId
    }

    // MARK: Triggers and cycles

    package func acceptTrigger(pipeline: String, trigger: Trigger, initialState: String, cooldown: Duration, now: Date) async throws
        -> TriggerAcceptance
    {
        self.accept(trigger, pipeline: pipeline, initialState: initialState, cooldown: cooldown, now: now)
    }

    package func acceptTriggers(pipeline: String, triggers: [Trigger], initialState: String, cooldown: Duration, now: Date) async throws
        -> [TriggerAcceptance]
    {
        triggers.map { self.accept($0, pipeline: pipeline, initialState: initialState, cooldown: cooldown, now: now) }
    }

    private func accept(_ trigger: Trigger, pipeline: String, initialState: String, cooldown: Duration, now: Date) -> TriggerAcceptance {
        let decision = TriggerPolicy(cooldown: cooldown).decide(trigger, facts: self.triggerFacts(trigger, pipeline: pipeline), now: now)
        let cycleId = decision.joinedCycle ?? self.startCycle(trigger, pipeline: pipeline, initialState: initialState, now: now)
        let id = self.makeId()
        self.triggers.append(
            TriggerRecord(id: id, pipeline: pipeline, trigger: trigger, receivedAt: now, cycleId: cycleId, disposition: decision.disposition))
        return TriggerAcceptance(triggerId: id, cycleId: cycleId, disposition: decision.disposition)
    }

    private func triggerFacts(_ trigger: Trigger, pipeline: String) -> TriggerPolicy.Facts {
        var facts = TriggerPolicy.Facts()
        if let key = trigger.dedupKey {
            facts.duplicateOf = self.triggers.first { $0.pipeline == pipeline && $0.trigger.dedupKey == key }?.cycleId
        }
        let cycles = self.orderedCycles().filter { $0.pipeline == pipeline && $0.kind != .rollback }
        facts.runningCycle = cycles.first { $0.status == .running }?.id
        if let last = cycles.filter({ $0.status == .finished }).max(by: { ($0.finishedAt ?? .distantPast) < ($1.finishedAt ?? .distantPast) }),
            let finishedAt = last.finishedAt
        {
            facts.lastFinished = (last.id, finishedAt)
        }
        return facts
    }

    private func startCycle(_ trigger: Trigger, pipeline: String, initialState: String, now: Date) -> String {
        let cycleId = NewCycle.id(now: now)
        self.insert(
            CycleRecord(
                id: cycleId, pipeline: pipeline, kind: trigger.kind, reason: trigger.reason, state: initialState, status: .running, outcome: nil,
                createdAt: now, updatedAt: now, finishedAt: nil, decisions: NewCycle.initialDecisions(trigger).objectValue ?? [:], handles: [:],
                cancelRequested: false, failure: nil))
        self.appendTransition(
            cycleId: cycleId, from: nil, to: initialState, outcome: NewCycle.startedOutcome, at: now, details: NewCycle.startedDetails(trigger))
        return cycleId
    }

    private func insert(_ cycle: CycleRecord) {
        self.cycles[cycle.id] = cycle
        self.creationOrder.append(cycle.id)
    }

    private func appendTransition(cycleId: String, from: String?, to: String, outcome: String, at: Date, details: JSONValue) {
        self.transitionsByCycle[cycleId, default: []].append(
            TransitionRecord(id: self.makeId(), cycleId: cycleId, from: from, to: to, outcome: outcome, at: at, details: details))
    }

    /// Oldest first, as created (ties in time keep their insertion order).
    private func orderedCycles() -> [CycleRecord] {
        self.creationOrder.compactMap { self.cycles[$0] }.enumerated().sorted {
            ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset)
        }.map(\.element)
    }

    package func cycle(id: String) async throws -> CycleRecord? { self.cycles[id] }

    package func cycles(pipeline: String?, limit: Int) async throws -> [CycleRecord] {
        Array(self.orderedCycles().filter { pipeline == nil || $0.pipeline == pipeline }.reversed().prefix(max(0, limit)))
    }

    package func runningCycles() async throws -> [CycleRecord] {
        self.orderedCycles().filter { $0.status == .running }
    }

    package func transitions(cycleId: String) async throws -> [TransitionRecord] {
        self.transitionsByCycle[cycleId] ?? []
    }

    package func triggers(cycleId: String) async throws -> [TriggerRecord] {
        self.triggers.filter { $0.cycleId == cycleId }
    }

    package func triggers(cycleId: String, after: Int64, limit: Int) async throws -> [TriggerRecord] {
        Array(self.triggers.lazy.filter { $0.cycleId == cycleId && $0.id > after }.prefix(max(0, limit)))
    }

    package func triggerCount(cycleId: String) async throws -> Int {
        self.triggers.count { $0.cycleId == cycleId }
    }

    package func commit(_ transition: TransitionCommit, at: Date) async throws {
        guard var cycle = self.cycles[transition.cycleId] else { throw StoreError.unknownCycle(transition.cycleId) }
        // A stale controller (after a takeover or a duplicate resume) must not move a cycle twice.
        guard cycle.status == .running, cycle.state == transition.from else {
            throw StoreError.staleTransition(
                cycleId: transition.cycleId, expected: transition.from, actual: cycle.state, status: cycle.status.rawValue)
        }
        for (key, value) in transition.decisions { cycle.decisions[key] = value }
        self.appendTransition(
            cycleId: transition.cycleId, from: transition.from, to: transition.to, outcome: transition.outcome, at: at, details: transition.details)
        cycle.state = transition.to
        cycle.updatedAt = at
        cycle.status = transition.finishing == nil ? .running : .finished
        cycle.outcome = transition.finishing
        cycle.finishedAt = transition.finishing == nil ? nil : at
        cycle.failure = transition.failure ?? cycle.failure
        self.cycles[transition.cycleId] = cycle
    }

    package func recordHandle(cycleId: String, key: String, value: String) async throws {
        guard self.cycles[cycleId] != nil else { throw StoreError.unknownCycle(cycleId) }
        self.cycles[cycleId]?.handles[key] = value
        self.cycles[cycleId]?.updatedAt = Date()
    }

    package func requestCancel(cycleId: String) async throws -> Bool {
        guard let cycle = self.cycles[cycleId], cycle.status == .running else { return false }
        self.cycles[cycleId]?.cancelRequested = true
        return true
    }

    // MARK: Champions

    package func recordRollback(pipeline: String, change: ChampionChange, decisions: [String: JSONValue]) async throws -> CycleRecord {
        let cycleId = NewCycle.id(now: change.at)
        let cycle = CycleRecord(
            id: cycleId, pipeline: pipeline, kind: .rollback, reason: change.reason, state: "rolled_back", status: .finished, outcome: .rolledBack,
            createdAt: change.at, updatedAt: change.at, finishedAt: change.at, decisions: decisions, handles: [:], cancelRequested: false,
            failure: nil)
        self.insert(cycle)
        self.appendTransition(
            cycleId: cycleId, from: nil, to: "rolled_back", outcome: "rolled_back", at: change.at, details: try JSONValue.encoding(change))
        var stored = change
        stored.cycleId = cycleId
        self.champions.append(stored)
        return cycle
    }

    package func recordChampionChange(_ change: ChampionChange) async throws {
        self.champions.append(change)
    }

    package func championHistory(model: String) async throws -> [ChampionChange] {
        self.champions.filter { $0.model == model }
    }

    // MARK: Retention and export

    package func deleteFinishedCycles(finishedBefore cutoff: Date, keepingLatest keep: Int) async throws -> Int {
        // Running cycles are never touched; each pipeline keeps its `keep` most recent finished cycles whatever their age.
        let finished = self.creationOrder.enumerated().compactMap { offset, id in self.cycles[id].map { (offset, $0) } }.filter {
            $0.1.status == .finished
        }
        var doomed: Set<String> = []
        for (_, group) in Dictionary(grouping: finished, by: { $0.1.pipeline }) {
            let newestFirst = group.sorted { (($0.1.finishedAt ?? .distantPast), $0.0) > (($1.1.finishedAt ?? .distantPast), $1.0) }
            for (_, cycle) in newestFirst.dropFirst(max(0, keep)) where (cycle.finishedAt ?? .distantPast) < cutoff { doomed.insert(cycle.id) }
        }
        guard !doomed.isEmpty else { return 0 }
        self.triggers.removeAll { doomed.contains($0.cycleId) }
        for id in doomed {
            self.cycles[id] = nil
            self.transitionsByCycle[id] = nil
        }
        self.creationOrder.removeAll { doomed.contains($0) }
        return doomed.count
    }

    package func allCycles(pipeline: String?, createdSince: Date?) async throws -> [CycleRecord] {
        self.orderedCycles().filter { (pipeline == nil || $0.pipeline == pipeline) && $0.createdAt >= (createdSince ?? .distantPast) }
    }

    // MARK: Alerts and pauses

    package func recordAlertResolution(
        pipeline: String, fingerprint: String, startsAt: String, endsAt: String?, firingDedupKey: String, payload: JSONValue, now: Date
    ) async throws -> (cycleId: String?, duplicate: Bool) {
        let cycleId = self.triggers.first { $0.pipeline == pipeline && $0.trigger.dedupKey == firingDedupKey }?.cycleId
        let inserted = self.alertResolutions.insert(AlertKey(pipeline: pipeline, fingerprint: fingerprint, startsAt: startsAt)).inserted
        return (cycleId, !inserted)
    }

    package func pausePipeline(_ pause: PipelinePause) async throws -> Bool {
        guard self.pauses[pause.pipeline] == nil else { return false }
        self.pauses[pause.pipeline] = pause
        return true
    }

    package func resumePipeline(_ pipeline: String) async throws -> Bool {
        self.pauses.removeValue(forKey: pipeline) != nil
    }

    package func pausedPipelines() async throws -> [PipelinePause] {
        self.pauses.values.sorted { $0.pipeline < $1.pipeline }
    }

    // MARK: Feedback

    package func ingestFeedback(pipeline: String, records: [FeedbackRecord]) async throws -> FeedbackIngestResult {
        let now = Date()
        var result = FeedbackIngestResult()
        var stored = self.feedback[pipeline] ?? []
        var indexById = Dictionary(stored.enumerated().map { ($0.element.record.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var lastLabel = self.lastLabelSeq[pipeline] ?? 0
        for record in records {
            if let index = indexById[record.id] {
                if stored[index].record.label == nil, let label = record.label {
                    lastLabel += 1
                    stored[index].record.label = label
                    stored[index].labelledSeq = lastLabel
                    stored[index].record.score = stored[index].record.score ?? record.score
                    result.labelsJoined += 1
                } else {
                    result.duplicates += 1
                }
                continue
            }
            var labelSeq: Int64?
            if record.label != nil {
                lastLabel += 1
                labelSeq = lastLabel
            }
            var kept = record
            kept.prediction = record.prediction ?? ""
            indexById[record.id] = stored.count
            stored.append(StoredFeedback(seq: self.makeId(), record: kept, receivedAt: now, labelledSeq: labelSeq))
            result.accepted += 1
        }
        self.feedback[pipeline] = stored
        self.lastLabelSeq[pipeline] = lastLabel
        return result
    }

    package func labelledFeedback(pipeline: String, after: Int64, limit: Int) async throws -> [LabelledFeedback] {
        let labelled = (self.feedback[pipeline] ?? []).compactMap { item -> LabelledFeedback? in
            guard let seq = item.labelledSeq, seq > after, let label = item.record.label else { return nil }
            return LabelledFeedback(
                labelledSeq: seq, id: item.record.id, prediction: item.record.prediction ?? "", label: label, score: item.record.score)
        }
        return Array(labelled.sorted { $0.labelledSeq < $1.labelledSeq }.prefix(max(0, limit)))
    }

    package func monitorSnapshot(pipeline: String) async throws -> MonitorSnapshotRecord? { self.snapshots[pipeline] }

    package func saveMonitorSnapshot(_ snapshot: MonitorSnapshotRecord) async throws {
        self.snapshots[snapshot.pipeline] = snapshot
    }

    package func deleteFeedback(pipeline: String, receivedBefore: Date?, keepingLatest: Int?, consumedThrough: Int64?) async throws -> Int {
        let stored = self.feedback[pipeline] ?? []
        let newestFirst = stored.sorted { ($0.receivedAt, $0.seq) > ($1.receivedAt, $1.seq) }
        let rank = Dictionary(uniqueKeysWithValues: newestFirst.enumerated().map { ($0.element.seq, $0.offset + 1) })
        let maxLabel = stored.compactMap(\.labelledSeq).max()
        // Past the age or the count; a label only once its monitor read it, and never the newest (its number goes on).
        let doomed = stored.filter { item in
            let aged = item.receivedAt < (receivedBefore ?? .distantPast) || rank[item.seq]! > (keepingLatest ?? Int.max)
            guard aged else { return false }
            guard let label = item.labelledSeq else { return true }
            return label <= (consumedThrough ?? Int64.max) && label < maxLabel!
        }
        let seqs = Set(doomed.map(\.seq))
        self.feedback[pipeline] = stored.filter { !seqs.contains($0.seq) }
        return seqs.count
    }

    package func recentFeedback(pipeline: String, since: Date?, limit: Int) async throws -> [FeedbackRecord] {
        let recent = (self.feedback[pipeline] ?? []).filter { $0.receivedAt >= (since ?? .distantPast) }.sorted { $0.seq < $1.seq }
        return recent.suffix(max(0, limit)).map(\.record)
    }
}
