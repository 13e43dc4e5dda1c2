import Foundation
import PostgresNIO

extension PostgresCycleStore: LeaseStore {
    package func claimLeases(owner: String, pipelines: [String], ttl: Duration) async throws -> Set<String> {
        try await self.transaction("claim pipeline leases") { connection in
            // One statement: renew what `owner` holds, take what is free or expired, leave the rest. Times are the
            // database's, so replicas' clocks need not agree.
            let rows = try await connection.query(
                """
                WITH now AS (SELECT extract(epoch FROM clock_timestamp())::double precision AS t)
                INSERT INTO pipeline_leases (pipeline, owner, expires_at, acquired_at)
                SELECT name, \(owner), now.t + \(ttl.seconds), now.t FROM unnest(\(pipelines)::text[]) AS name, now
                ON CONFLICT (pipeline) DO UPDATE SET
                    owner = excluded.owner,
                    expires_at = excluded.expires_at,
                    acquired_at = CASE WHEN pipeline_leases.owner = excluded.owner THEN pipeline_leases.acquired_at ELSE excluded.acquired_at END
                WHERE pipeline_leases.owner = excluded.owner OR pipeline_leases.expires_at < excluded.acquired_at
                RETURNING pipeline
                """, logger: self.logger)
            var held: Set<String> = []
            for try await name in rows.decode(String.self) { held.insert(name) }
            return held
        }
    }

    package func releaseLeases(owner: String, pipelines: [String]) async throws {
        try await self.transaction("release pipeline leases") { connection in
            try await connection.query("DELETE FROM pipeline_leases WHERE owner = \(owner) AND pipeline = ANY(\(pipelines))", logger: self.logger)
        }
    }

    package func leaseHolders() async throws -> [String: String] {
        var holders: [String: String] = [:]
        for row in try await self.rows(
            "list lease holders", "SELECT pipeline, owner FROM pipeline_leases WHERE expires_at >= extract(epoch FROM clock_timestamp())")
        {
            holders[try row["pipeline"].decode(String.self)] = try row["owner"].decode(String.self)
        }
        return holders
    }
}
