import Foundation
import PostgresNIO

extension PostgresCycleStore {
    public func pausePipeline(_ pause: PipelinePause) async throws -> Bool {
        try await self.transaction("pause a pipeline") { connection in
            let rows = try await connection.query(
                """
                INSERT INTO pipeline_pauses (pipeline, paused_at, actor, reason)
                VALUES (\(pause.pipeline), \(pause.pausedAt.timeIntervalSince1970), \(pause.actor), \(pause.reason))
                ON CONFLICT (pipeline) DO NOTHING RETURNING pipeline
                """, logger: self.logger
            ).collect()
            return !rows.isEmpty
        }
    }

    public func resumePipeline(_ pipeline: String) async throws -> Bool {
        try await self.transaction("resume a pipeline") { connection in
            !(try await connection.query("DELETE FROM pipeline_pauses WHERE pipeline = \(pipeline) RETURNING pipeline", logger: self.logger).collect()
                .isEmpty)
        }
    }

    public func pausedPipelines() async throws -> [PipelinePause] {
        try await self.rows("list paused pipelines", "SELECT * FROM pipeline_pauses ORDER BY pipeline").map { row in
            PipelinePause(
                pipeline: try row["pipeline"].decode(String.self), pausedAt: Date(timeIntervalSince1970: try row["paused_at"].decode(Double.self)),
                actor: try row["actor"].decode(String.self), reason: try row["reason"].decode(String?.self))
        }
    }
}
