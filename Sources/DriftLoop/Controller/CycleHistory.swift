import Foundation

/// What the controller has recorded, for reading: cycles with their transitions and triggers, champion changes, and
/// each feedback monitor's position. The API, the status page, the metrics and `driftloop export` read through it;
/// only the controller writes the store.
public struct CycleHistory: Sendable {
    private let store: any CycleStore

    package init(store: any CycleStore) {
        self.store = store
    }

    package func cycle(id: String) async throws -> CycleRecord? {
        try await self.store.cycle(id: id)
    }

    /// Newest first.
    package func cycles(pipeline: String?, limit: Int) async throws -> [CycleRecord] {
        try await self.store.cycles(pipeline: pipeline, limit: limit)
    }

    /// Every cycle created at or after `createdSince` (all when nil), oldest first.
    package func allCycles(pipeline: String?, createdSince: Date?) async throws -> [CycleRecord] {
        try await self.store.allCycles(pipeline: pipeline, createdSince: createdSince)
    }

    /// Cycles not yet finished, oldest first.
    package func runningCycles() async throws -> [CycleRecord] {
        try await self.store.runningCycles()
    }

    package func transitions(cycleId: String) async throws -> [TransitionRecord] {
        try await self.store.transitions(cycleId: cycleId)
    }

    package func triggers(cycleId: String) async throws -> [TriggerRecord] {
        try await self.store.triggers(cycleId: cycleId)
    }

    /// One page of a cycle's triggers: ids above `after`, oldest first, at most `limit`.
    package func triggers(cycleId: String, after: Int64, limit: Int) async throws -> [TriggerRecord] {
        try await self.store.triggers(cycleId: cycleId, after: after, limit: limit)
    }

    package func triggerCount(cycleId: String) async throws -> Int {
        try await self.store.triggerCount(cycleId: cycleId)
    }

    /// Oldest first.
    package func championHistory(model: String) async throws -> [ChampionChange] {
        try await self.store.championHistory(model: model)
    }

    /// Where a pipeline's feedback monitor is: the last record it read and its detectors' state.
    package func monitorSnapshot(pipeline: String) async throws -> MonitorSnapshotRecord? {
        try await self.store.monitorSnapshot(pipeline: pipeline)
    }

    package func pausedPipelines() async throws -> [PipelinePause] {
        try await self.store.pausedPipelines()
    }

    /// Stored labelled feedback after the given sequence number, oldest first.
    public func labelledFeedback(pipeline: String, after: Int64, limit: Int) async throws -> [LabelledFeedback] {
        try await self.store.labelledFeedback(pipeline: pipeline, after: after, limit: limit)
    }
}
