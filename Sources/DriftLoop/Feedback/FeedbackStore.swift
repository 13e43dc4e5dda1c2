import Foundation

/// Durable feedback: every batch is committed before the caller acknowledges it, and monitors consume labelled
/// records in label order from a stored position, so a restart neither loses nor double-counts one.
public protocol FeedbackStore: Sendable {
    func ingestFeedback(pipeline: String, records: [FeedbackRecord]) async throws -> FeedbackIngestResult
    /// Labelled records with `labelledSeq > after`, in label order.
    func labelledFeedback(pipeline: String, after: Int64, limit: Int) async throws -> [LabelledFeedback]
    func monitorSnapshot(pipeline: String) async throws -> MonitorSnapshotRecord?
    func saveMonitorSnapshot(_ snapshot: MonitorSnapshotRecord) async throws
    /// Retention: deletes the pipeline's records received before `receivedBefore` and those beyond its newest
    /// `keepingLatest`, but never a labelled record past `consumedThrough` (a monitor has yet to read it; nil: no monitor
    /// reads this pipeline) nor the newest labelled one (the next label's number follows it). Returns how many went.
    func deleteFeedback(pipeline: String, receivedBefore: Date?, keepingLatest: Int?, consumedThrough: Int64?) async throws -> Int
    /// The pipeline's newest records, oldest first: the latest `limit`, received at or after `since` when given
    /// (the live production window a drift check reads).
    func recentFeedback(pipeline: String, since: Date?, limit: Int) async throws -> [FeedbackRecord]
}

/// A monitor's state after consuming labelled feedback up to `throughSeq`.
public struct MonitorSnapshotRecord: Sendable, Equatable {
    package var pipeline: String
    package var throughSeq: Int64
    package var state: String

    package init(pipeline: String, throughSeq: Int64, state: String) {
        self.pipeline = pipeline
        self.throughSeq = throughSeq
        self.state = state
    }
}
