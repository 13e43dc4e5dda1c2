import Foundation
import GRDB

extension SQLiteCycleStore {
    public func ingestFeedback(pipeline: String, records: [FeedbackRecord]) async throws -> FeedbackIngestResult {
        let now = Date().timeIntervalSince1970
        return try await self.pool.write { db in
            var result = FeedbackIngestResult()
            var nextLabelSeq =
                (try Int64.fetchOne(db, sql: "SELECT MAX(labelled_seq) FROM feedback WHERE pipeline = ?", arguments: [pipeline]) ?? 0) + 1
            let existing = try db.makeStatement(sql: "SELECT label FROM feedback WHERE pipeline = ? AND record_id = ?")
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO feedback (pipeline, record_id, timestamp, prediction, score, label, features, received_at, labelled_seq)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let joinLabel = try db.makeStatement(
                sql: "UPDATE feedback SET label = ?, labelled_seq = ?, score = COALESCE(score, ?) WHERE pipeline = ? AND record_id = ?")
            for record in records {
                if let row = try Row.fetchOne(existing, arguments: [pipeline, record.id]) {
                    let knownLabel: String? = row["label"]
                    if knownLabel == nil, let label = record.label {
                        try joinLabel.execute(arguments: [label, nextLabelSeq, record.score, pipeline, record.id])
                        nextLabelSeq += 1
                        result.labelsJoined += 1
                    } else {
                        result.duplicates += 1
                    }
                    continue
                }
                let labelSeq: Int64? = record.label == nil ? nil : nextLabelSeq
                if record.label != nil { nextLabelSeq += 1 }
                try insert.execute(arguments: [
                    pipeline, record.id, record.timestamp?.timeIntervalSince1970, record.prediction ?? "", record.score, record.label,
                    record.features?.jsonText, now, labelSeq,
                ])
                result.accepted += 1
            }
            return result
        }
    }

    public func labelledFeedback(pipeline: String, after: Int64, limit: Int) async throws -> [LabelledFeedback] {
        try await self.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT labelled_seq, record_id, prediction, label, score FROM feedback
                    WHERE pipeline = ? AND labelled_seq > ? ORDER BY labelled_seq LIMIT ?
                    """,
                arguments: [pipeline, after, limit]
            ).map { row in
                LabelledFeedback(
                    labelledSeq: row["labelled_seq"], id: row["record_id"], prediction: row["prediction"], label: row["label"], score: row["score"])
            }
        }
    }

    public func monitorSnapshot(pipeline: String) async throws -> MonitorSnapshotRecord? {
        try await self.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT through_seq, state FROM monitor_snapshots WHERE pipeline = ?", arguments: [pipeline]).map { row in
                MonitorSnapshotRecord(pipeline: pipeline, throughSeq: row["through_seq"], state: row["state"])
            }
        }
    }

    public func saveMonitorSnapshot(_ snapshot: MonitorSnapshotRecord) async throws {
        try await self.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO monitor_snapshots (pipeline, through_seq, state, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (pipeline) DO UPDATE SET through_seq = excluded.through_seq, state = excluded.state, updated_at = excluded.updated_at
                    """,
                arguments: [snapshot.pipeline, snapshot.throughSeq, snapshot.state, Date().timeIntervalSince1970])
        }
    }

    public func deleteFeedback(pipeline: String, receivedBefore: Date?, keepingLatest: Int?, consumedThrough: Int64?) async throws -> Int {
        try await self.pool.write { db in
            try db.execute(
                sql: """
                    DELETE FROM feedback WHERE pipeline = ?1 AND seq IN (
                        SELECT seq FROM (
                            SELECT seq, received_at, ROW_NUMBER() OVER (ORDER BY received_at DESC, seq DESC) AS newest FROM feedback WHERE pipeline = ?1
                        ) WHERE received_at < ?2 OR newest > ?3
                    )
                    AND (labelled_seq IS NULL OR (labelled_seq <= ?4 AND labelled_seq < (SELECT MAX(labelled_seq) FROM feedback WHERE pipeline = ?1)))
                    """,
                arguments: [
                    pipeline, receivedBefore?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude, Int64(keepingLatest ?? Int.max),
                    consumedThrough ?? Int64.max,
                ])
            return db.changesCount
        }
    }

    public func recentFeedback(pipeline: String, since: Date?, limit: Int) async throws -> [FeedbackRecord] {
        try await self.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT record_id, timestamp, prediction, score, label, features FROM feedback
                    WHERE pipeline = ? AND received_at >= ? ORDER BY seq DESC LIMIT ?
                    """,
                arguments: [pipeline, since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude, Int64(clamping: limit)]
            ).reversed().map { row in
                let timestamp: Double? = row["timestamp"]
                let features: String? = row["features"]
                return FeedbackRecord(
                    id: row["record_id"], timestamp: timestamp.map(Date.init(timeIntervalSince1970:)), prediction: row["prediction"],
                    score: row["score"],
                    label: row["label"], features: features.flatMap(JSONValue.parse))
            }
        }
    }
}
