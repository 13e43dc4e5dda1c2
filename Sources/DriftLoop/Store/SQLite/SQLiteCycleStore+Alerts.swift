import Foundation
import GRDB

extension SQLiteCycleStore {
    public func recordAlertResolution(
        pipeline: String, fingerprint: String, startsAt: String, endsAt: String?, firingDedupKey: String, payload: JSONValue, now: Date
    ) async throws -> (cycleId: String?, duplicate: Bool) {
        try await self.pool.write { db in
            let cycleId = try String.fetchOne(
                db, sql: "SELECT cycle_id FROM triggers WHERE pipeline = ? AND dedup_key = ? ORDER BY id LIMIT 1",
                arguments: [pipeline, firingDedupKey])
            try db.execute(
                sql: """
                    INSERT INTO alert_resolutions (pipeline, fingerprint, starts_at, ends_at, cycle_id, payload, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pipeline, fingerprint, starts_at) DO NOTHING
                    """,
                arguments: [pipeline, fingerprint, startsAt, endsAt, cycleId, payload.jsonText, now.timeIntervalSince1970])
            return (cycleId, db.changesCount == 0)
        }
    }
}
