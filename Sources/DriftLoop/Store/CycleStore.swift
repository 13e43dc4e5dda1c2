import Foundation

/// Durable record of triggers, cycles, transitions and champion changes.
///
/// Every method commits before it returns: a caller that got an answer may tell the outside world.
public protocol CycleStore: FeedbackStore {
    /// Records a trigger and decides, in the same transaction, whether it starts a cycle or joins one.
    func acceptTrigger(pipeline: String, trigger: Trigger, initialState: String, cooldown: Duration, now: Date) async throws -> TriggerAcceptance
    /// Several triggers for one pipeline, decided in order as `acceptTrigger` would, in one transaction: all are
    /// stored or none (one Alertmanager notification can carry thousands of alerts).
    func acceptTriggers(pipeline: String, triggers: [Trigger], initialState: String, cooldown: Duration, now: Date) async throws
        -> [TriggerAcceptance]
    func cycle(id: String) async throws -> CycleRecord?
    /// Newest first.
    func cycles(pipeline: String?, limit: Int) async throws -> [CycleRecord]
    /// Cycles not yet finished, oldest first: what a starting controller resumes.
    func runningCycles() async throws -> [CycleRecord]
    func transitions(cycleId: String) async throws -> [TransitionRecord]
    func triggers(cycleId: String) async throws -> [TriggerRecord]
    /// One page of a cycle's triggers: those with an id above `after`, oldest first, at most `limit`. Answers and
    /// pages show a bounded number, since thousands of triggers may join one cycle.
    func triggers(cycleId: String, after: Int64, limit: Int) async throws -> [TriggerRecord]
    func triggerCount(cycleId: String) async throws -> Int
    /// Appends a transition and moves the cycle, atomically.
    func commit(_ transition: TransitionCommit, at: Date) async throws
    /// Records an external handle before the action relies on it.
    func recordHandle(cycleId: String, key: String, value: String) async throws
    /// Flags a running cycle for cancellation; false if it is not running.
    func requestCancel(cycleId: String) async throws -> Bool
    /// Records a rollback as a finished cycle of kind `rollback`, with its champion change, atomically.
    func recordRollback(pipeline: String, change: ChampionChange, decisions: [String: JSONValue]) async throws -> CycleRecord
    func recordChampionChange(_ change: ChampionChange) async throws
    /// Oldest first.
    func championHistory(model: String) async throws -> [ChampionChange]
    /// Retention: deletes finished cycles (with their transitions and triggers) that ended before `cutoff`, except
    /// each pipeline's `keep` most recent. Running cycles and the champion history are kept. Returns how many went.
    func deleteFinishedCycles(finishedBefore cutoff: Date, keepingLatest keep: Int) async throws -> Int
    /// Every cycle created at or after `createdSince` (all when nil), oldest first: what `driftloop export` writes.
    func allCycles(pipeline: String?, createdSince: Date?) async throws -> [CycleRecord]
    /// Records that a firing alert resolved, once per alert (fingerprint and start), beside the cycle the firing
    /// trigger with `firingDedupKey` belongs to. Returns that cycle (nil when its firing was never received) and
    /// whether this resolution had been recorded already.
    func recordAlertResolution(
        pipeline: String, fingerprint: String, startsAt: String, endsAt: String?, firingDedupKey: String, payload: JSONValue, now: Date
    ) async throws -> (cycleId: String?, duplicate: Bool)
    /// Pauses a pipeline; false when it was paused already (the first pause is kept).
    func pausePipeline(_ pause: PipelinePause) async throws -> Bool
    /// Resumes a paused pipeline; false when it was not paused.
    func resumePipeline(_ pipeline: String) async throws -> Bool
    func pausedPipelines() async throws -> [PipelinePause]
}
