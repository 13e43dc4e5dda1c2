import Foundation
import GRDB

extension SQLiteCycleStore {
    public func deleteFinishedCycles(finishedBefore cutoff: Date, keepingLatest keep: Int) async throws -> Int {
        try await self.pool.write { db in
            // Running cycles are never touched; each pipeline keeps its `keep` most recent finished cycles whatever their age.
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM (
                        SELECT id, finished_at, ROW_NUMBER() OVER (PARTITION BY pipeline ORDER BY finished_at DESC, rowid DESC) AS newest
                        FROM cycles WHERE status = 'finished'
                    ) WHERE newest > ? AND finished_at < ?
                    """,
                arguments: [keep, cutoff.timeIntervalSince1970])
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(ids.count, start + 500)])
                let marks = databaseQuestionMarks(count: chunk.count)
                let arguments = StatementArguments(chunk)
                try db.execute(sql: "UPDATE alert_resolutions SET cycle_id = NULL WHERE cycle_id IN (\(marks))", arguments: arguments)
                try db.execute(sql: "DELETE FROM triggers WHERE cycle_id IN (\(marks))", arguments: arguments)
                try db.execute(sql: "DELETE FROM transitions WHERE cycle_id IN (\(marks))", arguments: arguments)
                try db.execute(sql: "DELETE FROM cycles WHERE id IN (\(marks))", arguments: arguments)
            }
            return ids.count
        }
    }

    public func allCycles(pipeline: String?, createdSince: Date?) async throws -> [CycleRecord] {
        try await self.pool.read { db in
            var sql = "SELECT * FROM cycles WHERE created_at >= ?"
            var arguments: StatementArguments = [createdSince?.timeIntervalSince1970 ?? 0]
            if let pipeline {
                sql += " AND pipeline = ?"
                arguments += [pipeline]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY created_at, rowid", arguments: arguments).map(Self.cycle(from:))
        }
    }
}
