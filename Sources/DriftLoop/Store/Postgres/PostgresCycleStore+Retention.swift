import Foundation
import PostgresNIO

extension PostgresCycleStore {
    public func deleteFinishedCycles(finishedBefore cutoff: Date, keepingLatest keep: Int) async throws -> Int {
        try await self.transaction("prune finished cycles") { connection in
            // Running cycles are never touched; each pipeline keeps its `keep` most recent finished cycles whatever their age.
            var ids: [String] = []
            for try await id in try await connection.query(
                """
                SELECT id FROM (
                    SELECT id, finished_at, ROW_NUMBER() OVER (PARTITION BY pipeline ORDER BY finished_at DESC, seq DESC) AS newest
                    FROM cycles WHERE status = 'finished'
                ) AS ranked WHERE newest > \(keep) AND finished_at < \(cutoff.timeIntervalSince1970)
                """, logger: self.logger
            ).decode(String.self) {
                ids.append(id)
            }
            guard !ids.isEmpty else { return 0 }
            try await connection.query("UPDATE alert_resolutions SET cycle_id = NULL WHERE cycle_id = ANY(\(ids))", logger: self.logger)
            try await connection.query("DELETE FROM triggers WHERE cycle_id = ANY(\(ids))", logger: self.logger)
            try await connection.query("DELETE FROM transitions WHERE cycle_id = ANY(\(ids))", logger: self.logger)
            try await connection.query("DELETE FROM cycles WHERE id = ANY(\(ids))", logger: self.logger)
            return ids.count
        }
    }

    public func allCycles(pipeline: String?, createdSince: Date?) async throws -> [CycleRecord] {
        let since = createdSince?.timeIntervalSince1970 ?? 0
        if let pipeline {
            return try await self.rows(
                "export cycles", "SELECT * FROM cycles WHERE created_at >= \(since) AND pipeline = \(pipeline) ORDER BY created_at, seq"
            ).map(Self.cycle(from:))
        }
        return try await self.rows("export cycles", "SELECT * FROM cycles WHERE created_at >= \(since) ORDER BY created_at, seq").map(
            Self.cycle(from:))
    }
}
