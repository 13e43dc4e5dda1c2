import Foundation
import PostgresNIO

extension PostgresCycleStore {
    public func ingestFeedback(pipeline: String, records: [FeedbackRecord]) async throws -> FeedbackIngestResult {
        let now = Date().timeIntervalSince1970
        return try await self.transaction("store feedback") { connection in
            // Label order is per pipeline: one batch at a time numbers its labels.
            try await Self.lockPipeline(pipeline, connection: connection, logger: self.logger)
            var result = FeedbackIngestResult()
            var nextLabelSeq: Int64 = 1
            for try await maximum in try await connection.query(
                "SELECT MAX(labelled_seq) FROM feedback WHERE pipeline = \(pipeline)", logger: self.logger
            ).decode(Int64?.self) {
                nextLabelSeq = (maximum ?? 0) + 1
            }
            for record in records {
                var known: (found: Bool, label: String?) = (false, nil)
                for try await label in try await connection.query(
                    "SELECT label FROM feedback WHERE pipeline = \(pipeline) AND record_id = \(record.id)", logger: self.logger
                ).decode(String?.self) {
                    known = (true, label)
                }
                if known.found {
                    if known.label == nil, let label = record.label {
                        try await connection.query(
                            """
                            UPDATE feedback SET label = \(label), labelled_seq = \(nextLabelSeq), score = COALESCE(score, \(record.score))
                            WHERE pipeline = \(pipeline) AND record_id = \(record.id)
                            """, logger: self.logger)
                        nextLabelSeq += 1
                        result.labelsJoined += 1
                    } else {
                        result.duplicates += 1
                    }
                    continue
                }
                let labelSeq: Int64? = record.label == nil ? nil : nextLabelSeq
                if record.label != nil { nextLabelSeq += 1 }
                let features = record.features?.jsonText
                try await connection.query(
                    """
                    INSERT INTO feedback (pipeline, record_id, timestamp, prediction, score, label, features, received_at, labelled_seq)
                    VALUES (\(pipeline), \(record.id), \(record.timestamp?.timeIntervalSince1970), \(record.prediction ?? ""), \(record.score),
                        \(record.label), \(features), \(now), \(labelSeq))
                    """, logger: self.logger)
                result.accepted += 1
            }
            return result
        }
    }

    public func labelledFeedback(pipeline: String, after: Int64, limit: Int) async throws -> [LabelledFeedback] {
        try await self.rows(
            "read labelled feedback",
            """
            SELECT labelled_seq, record_id, prediction, label, score FROM feedback
            WHERE pipeline = \(pipeline) AND labelled_seq > \(after) ORDER BY labelled_seq LIMIT \(limit)
            """
        ).map { row in
            LabelledFeedback(
                labelledSeq: try row["labelled_seq"].decode(Int64.self), id: try row["record_id"].decode(String.self),
                prediction: try row["prediction"].decode(String.self), label: try row["label"].decode(String.self),
                score: try row["score"].decode(Double?.self))
        }
    }

    public func monitorSnapshot(pipeline: String) async throws -> MonitorSnapshotRecord? {
        try await self.rows("read a monitor snapshot", "SELECT through_seq, state FROM monitor_snapshots WHERE pipeline = \(pipeline)").first.map {
            row in
            MonitorSnapshotRecord(
                pipeline: pipeline, throughSeq: try row["through_seq"].decode(Int64.self), state: try row["state"].decode(String.self))
        }
    }

    public func saveMonitorSnapshot(_ snapshot: MonitorSnapshotRecord) async throws {
        let now = Date().timeIntervalSince1970
        try await self.transaction("save a monitor snapshot") { connection in
            try await connection.query(
                """
                INSERT INTO monitor_snapshots (pipeline, through_seq, state, updated_at) VALUES (\(snapshot.pipeline), \(snapshot.throughSeq), \(snapshot.state), \(now))
                ON CONFLICT (pipeline) DO UPDATE SET through_seq = excluded.through_seq, state = excluded.state, updated_at = excluded.updated_at
                """, logger: self.logger)
        }
    }

    public func deleteFeedback(pipeline: String, receivedBefore: Date?, keepingLatest: Int?, consumedThrough: Int64?) async throws -> Int {
        let cutoff = receivedBefore?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let keep = Int64(keepingLatest ?? Int.max)
        let consumed = consumedThrough ?? Int64.max
        return try await self.transaction("prune feedback") { connection in
            try await Self.lockPipeline(pipeline, connection: connection, logger: self.logger)
            var deleted = 0
            for try await count in try await connection.query(
                """
                WITH doomed AS (
                    DELETE FROM feedback WHERE pipeline = \(pipeline) AND seq IN (
                        SELECT seq FROM (
                            SELECT seq, received_at, ROW_NUMBER() OVER (ORDER BY received_at DESC, seq DESC) AS newest FROM feedback WHERE pipeline = \(pipeline)
                        ) ranked WHERE received_at < \(cutoff) OR newest > \(keep)
                    )
                    AND (labelled_seq IS NULL OR (labelled_seq <= \(consumed)
                        AND labelled_seq < (SELECT MAX(labelled_seq) FROM feedback WHERE pipeline = \(pipeline))))
                    RETURNING 1
                ) SELECT COUNT(*) FROM doomed
                """, logger: self.logger
            ).decode(Int64.self) {
                deleted = Int(count)
            }
            return deleted
        }
    }

    public func recentFeedback(pipeline: String, since: Date?, limit: Int) async throws -> [FeedbackRecord] {
        let cutoff = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        return try await self.rows(
            "read recent feedback",
            """
            SELECT record_id, timestamp, prediction, score, label, features FROM feedback
            WHERE pipeline = \(pipeline) AND received_at >= \(cutoff) ORDER BY seq DESC LIMIT \(Int64(clamping: limit))
            """
        ).reversed().map { row in
            FeedbackRecord(
                id: try row["record_id"].decode(String.self),
                timestamp: try row["timestamp"].decode(Double?.self).map(Date.init(timeIntervalSince1970:)),
                prediction: try row["prediction"].decode(String?.self), score: try row["score"].decode(Double?.self),
                label: try row["label"].decode(String?.self), features: try row["features"].decode(String?.self).flatMap(JSONValue.parse))
        }
    }
}
