import Foundation
import GRDB
import Testing

@testable import DriftLoop

/// A trigger is acknowledged once committed, so commits must be synced: WAL mode with synchronous = FULL.
@Suite struct StoreDurabilityTests {
    @Test func theWriterCommitsWithFullSynchronousInWALMode() async throws {
        let store = try SQLiteCycleStore(path: TemporaryDirectory().file("driftloop.sqlite"))
        let (mode, synchronous) = try await store.pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(mode == "wal")
        #expect(synchronous == 2, "2 is FULL; GRDB's WAL setup leaves NORMAL (1), which syncs only at checkpoints")
    }
}
