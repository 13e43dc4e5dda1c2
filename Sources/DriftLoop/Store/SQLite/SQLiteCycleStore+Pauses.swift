import Foundation
import GRDB

extension SQLiteCycleStore {
    public func pausePipeline(_ pause: PipelinePause) async throws -> Bool {
        try await self.pool.write { db in
            try db.execute(
                sql: "INSERT INTO pipeline_pauses (pipeline, paused_at, actor, reason) VALUES (?, ?, ?, ?) ON CONFLICT (pipeline) DO NOTHING",
                arguments: [pause.pipeline, pause.pausedAt.timeIntervalSince1970, pause.actor, pause.reason])
            return db.changesCount > 0
        }
    }

    public func resumePipeline(_ pipeline: String) async throws -> Bool {
        try await self.pool.write { db in
            try db.execute(sql: "DELETE FROM pipeline_pauses WHERE pipeline = ?", arguments: [pipeline])
            return db.changesCount > 0
        }
    }

    public func pausedPipelines() async throws -> [PipelinePause] {
        try await self.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM pipeline_pauses ORDER BY pipeline").map { row in
                PipelinePause(
                    pipeline: row["pipeline"], pausedAt: Date(timeIntervalSince1970: row["paused_at"]), actor: row["actor"], reason: row["reason"])
            }
        }
    }
}
