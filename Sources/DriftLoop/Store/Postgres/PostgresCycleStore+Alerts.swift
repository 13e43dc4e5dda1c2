import Foundation
import PostgresNIO

extension PostgresCycleStore {
    public func recordAlertResolution(
        pipeline: String, fingerprint: String, startsAt: String, endsAt: String?, firingDedupKey: String, payload: JSONValue, now: Date
    ) async throws -> (cycleId: String?, duplicate: Bool) {
        let payloadText = payload.jsonText
        return try await self.transaction("record a resolved alert") { connection in
            let cycleId = try await Self.firstString(
                connection.query(
                    "SELECT cycle_id FROM triggers WHERE pipeline = \(pipeline) AND dedup_key = \(firingDedupKey) ORDER BY id LIMIT 1",
                    logger: self.logger))
            let inserted = try await connection.query(
                """
                INSERT INTO alert_resolutions (pipeline, fingerprint, starts_at, ends_at, cycle_id, payload, received_at)
                VALUES (\(pipeline), \(fingerprint), \(startsAt), \(endsAt), \(cycleId), \(payloadText), \(now.timeIntervalSince1970))
                ON CONFLICT (pipeline, fingerprint, starts_at) DO NOTHING RETURNING id
                """, logger: self.logger
            ).collect()
            return (cycleId, inserted.isEmpty)
        }
    }
}
