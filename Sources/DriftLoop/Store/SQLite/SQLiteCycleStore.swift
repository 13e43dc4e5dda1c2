import Foundation
import GRDB

/// The embedded cycle store: SQLite in WAL mode through GRDB.
public final class SQLiteCycleStore: CycleStore {
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and migrates it.
    public init(path: String) throws {
        try PrivateDirectory.create((path as NSString).deletingLastPathComponent)
        // The store holds every trigger's payload: owner-only. SQLite gives its -wal and -shm files the database
        // file's mode, so creating it first as 0600 covers all three.
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
        var status = stat()
        if stat(path, &status) == 0, status.st_uid == getuid(), status.st_mode & 0o077 != 0 { chmod(path, 0o600) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        self.pool = try DatabasePool(path: path, configuration: configuration)
        // DatabasePool puts its writer in WAL mode after prepareDatabase, and that sets synchronous = NORMAL,
        // under which a commit is synced only at checkpoints. A trigger is acknowledged once committed, so the
        // commit itself must reach the disk: set FULL again on the writer.
        try self.pool.barrierWriteWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        try SQLiteMigrations.migrator.migrate(self.pool)
    }

    public func acceptTrigger(pipeline: String, trigger: Trigger, initialState: String, cooldown: Duration, now: Date) async throws
        -> TriggerAcceptance
    {
        try await self.pool.write { db in
            try Self.accept(trigger, pipeline: pipeline, initialState: initialState, cooldown: cooldown, now: now, db: db)
        }
    }

    public func acceptTriggers(pipeline: String, triggers: [Trigger], initialState: String, cooldown: Duration, now: Date) async throws
        -> [TriggerAcceptance]
    {
        try await self.pool.write { db in
            try triggers.map { try Self.accept($0, pipeline: pipeline, initialState: initialState, cooldown: cooldown, now: now, db: db) }
        }
    }

    /// Records one trigger as `TriggerPolicy` decides, inside the caller's write transaction (SQLite has one writer).
    private static func accept(_ trigger: Trigger, pipeline: String, initialState: String, cooldown: Duration, now: Date, db: Database) throws
        -> TriggerAcceptance
    {
        let decision = TriggerPolicy(cooldown: cooldown).decide(trigger, facts: try Self.triggerFacts(trigger, pipeline: pipeline, db: db), now: now)
        let cycleId = try decision.joinedCycle ?? Self.startCycle(trigger, pipeline: pipeline, initialState: initialState, now: now, db: db)
        try db.execute(
            sql: """
                INSERT INTO triggers (pipeline, kind, dedup_key, payload, received_at, cycle_id, disposition)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                pipeline, trigger.kind.rawValue, trigger.dedupKey, try JSONValue.encoding(trigger).jsonText, now.timeIntervalSince1970, cycleId,
                decision.disposition.rawValue,
            ])
        return TriggerAcceptance(triggerId: db.lastInsertedRowID, cycleId: cycleId, disposition: decision.disposition)
    }

    /// What `TriggerPolicy` decides from: the dedup key's first cycle, the running cycle, the last finished one.
    private static func triggerFacts(_ trigger: Trigger, pipeline: String, db: Database) throws -> TriggerPolicy.Facts {
        var facts = TriggerPolicy.Facts()
        if let key = trigger.dedupKey {
            facts.duplicateOf = try String.fetchOne(
                db, sql: "SELECT cycle_id FROM triggers WHERE pipeline = ? AND dedup_key = ? ORDER BY id LIMIT 1", arguments: [pipeline, key])
        }
        facts.runningCycle = try String.fetchOne(
            db, sql: "SELECT id FROM cycles WHERE pipeline = ? AND status = 'running' AND kind != 'rollback' ORDER BY created_at LIMIT 1",
            arguments: [pipeline])
        if let row = try Row.fetchOne(
            db,
            sql:
                "SELECT id, finished_at FROM cycles WHERE pipeline = ? AND status = 'finished' AND kind != 'rollback' ORDER BY finished_at DESC LIMIT 1",
            arguments: [pipeline])
        {
            facts.lastFinished = (row["id"], Date(timeIntervalSince1970: row["finished_at"]))
        }
        return facts
    }

    /// A new running cycle in its initial state, with its first transition.
    private static func startCycle(_ trigger: Trigger, pipeline: String, initialState: String, now: Date, db: Database) throws -> String {
        let cycleId = NewCycle.id(now: now)
        try db.execute(
            sql: """
                INSERT INTO cycles (id, pipeline, kind, reason, state, status, created_at, updated_at, decisions, handles, cancel_requested)
                VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, '{}', 0)
                """,
            arguments: [
                cycleId, pipeline, trigger.kind.rawValue, trigger.reason, initialState, now.timeIntervalSince1970, now.timeIntervalSince1970,
                NewCycle.initialDecisions(trigger).jsonText,
            ])
        try db.execute(
            sql: "INSERT INTO transitions (cycle_id, from_state, to_state, outcome, at, details) VALUES (?, NULL, ?, ?, ?, ?)",
            arguments: [cycleId, initialState, NewCycle.startedOutcome, now.timeIntervalSince1970, NewCycle.startedDetails(trigger).jsonText])
        return cycleId
    }

    public func cycle(id: String) async throws -> CycleRecord? {
        try await self.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM cycles WHERE id = ?", arguments: [id]).map(Self.cycle(from:))
        }
    }

    public func cycles(pipeline: String?, limit: Int) async throws -> [CycleRecord] {
        try await self.pool.read { db in
            if let pipeline {
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM cycles WHERE pipeline = ? ORDER BY created_at DESC, rowid DESC LIMIT ?", arguments: [pipeline, limit]
                )
                .map(Self.cycle(from:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM cycles ORDER BY created_at DESC, rowid DESC LIMIT ?", arguments: [limit]).map(
                Self.cycle(from:))
        }
    }

    public func runningCycles() async throws -> [CycleRecord] {
        try await self.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM cycles WHERE status = 'running' ORDER BY created_at, rowid").map(Self.cycle(from:))
        }
    }

    public func transitions(cycleId: String) async throws -> [TransitionRecord] {
        try await self.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM transitions WHERE cycle_id = ? ORDER BY id", arguments: [cycleId]).map { row in
                TransitionRecord(
                    id: row["id"], cycleId: row["cycle_id"], from: row["from_state"], to: row["to_state"], outcome: row["outcome"],
                    at: Date(timeIntervalSince1970: row["at"]), details: JSONValue.parse(row["details"]) ?? .null)
            }
        }
    }

    public func triggers(cycleId: String) async throws -> [TriggerRecord] {
        try await self.triggers(cycleId: cycleId, after: Int64.min, limit: Int.max)
    }

    public func triggers(cycleId: String, after: Int64, limit: Int) async throws -> [TriggerRecord] {
        try await self.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM triggers WHERE cycle_id = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [cycleId, after, Int64(clamping: limit)]
            ).map { row in
                let payload: String = row["payload"]
                let trigger = try JSONDecoder().decode(Trigger.self, from: Data(payload.utf8))
                return TriggerRecord(
                    id: row["id"], pipeline: row["pipeline"], trigger: trigger, receivedAt: Date(timeIntervalSince1970: row["received_at"]),
                    cycleId: row["cycle_id"], disposition: TriggerDisposition(rawValue: row["disposition"]) ?? .started)
            }
        }
    }

    public func triggerCount(cycleId: String) async throws -> Int {
        try await self.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM triggers WHERE cycle_id = ?", arguments: [cycleId]) ?? 0 }
    }

    public func commit(_ transition: TransitionCommit, at: Date) async throws {
        try await self.pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT state, status, decisions FROM cycles WHERE id = ?", arguments: [transition.cycleId])
            else {
                throw StoreError.unknownCycle(transition.cycleId)
            }
            let currentState: String = row["state"]
            let status: String = row["status"]
            // A stale controller (after a takeover or a duplicate resume) must not move a cycle twice.
            guard status == CycleRecord.Status.running.rawValue, currentState == transition.from else {
                throw StoreError.staleTransition(cycleId: transition.cycleId, expected: transition.from, actual: currentState, status: status)
            }
            var decisions = JSONValue.parse(row["decisions"])?.objectValue ?? [:]
            for (key, value) in transition.decisions { decisions[key] = value }
            try db.execute(
                sql: "INSERT INTO transitions (cycle_id, from_state, to_state, outcome, at, details) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    transition.cycleId, transition.from, transition.to, transition.outcome, at.timeIntervalSince1970, transition.details.jsonText,
                ])
            try db.execute(
                sql: """
                    UPDATE cycles SET state = ?, updated_at = ?, decisions = ?,
                        status = CASE WHEN ? IS NULL THEN 'running' ELSE 'finished' END,
                        outcome = ?, finished_at = CASE WHEN ? IS NULL THEN NULL ELSE ? END,
                        failure = COALESCE(?, failure)
                    WHERE id = ?
                    """,
                arguments: [
                    transition.to, at.timeIntervalSince1970, JSONValue.object(decisions).jsonText,
                    transition.finishing?.rawValue, transition.finishing?.rawValue, transition.finishing?.rawValue, at.timeIntervalSince1970,
                    transition.failure, transition.cycleId,
                ])
        }
    }

    public func recordHandle(cycleId: String, key: String, value: String) async throws {
        try await self.pool.write { db in
            guard let text = try String.fetchOne(db, sql: "SELECT handles FROM cycles WHERE id = ?", arguments: [cycleId]) else {
                throw StoreError.unknownCycle(cycleId)
            }
            var handles = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
            handles[key] = value
            let encoded = String(decoding: try JSONEncoder().encode(handles), as: UTF8.self)
            try db.execute(
                sql: "UPDATE cycles SET handles = ?, updated_at = ? WHERE id = ?", arguments: [encoded, Date().timeIntervalSince1970, cycleId])
        }
    }

    public func requestCancel(cycleId: String) async throws -> Bool {
        try await self.pool.write { db in
            try db.execute(sql: "UPDATE cycles SET cancel_requested = 1 WHERE id = ? AND status = 'running'", arguments: [cycleId])
            return db.changesCount > 0
        }
    }

    public func recordRollback(pipeline: String, change: ChampionChange, decisions: [String: JSONValue]) async throws -> CycleRecord {
        let cycleId = NewCycle.id(now: change.at)
        try await self.pool.write { db in
            let at = change.at.timeIntervalSince1970
            try db.execute(
                sql: """
                    INSERT INTO cycles (id, pipeline, kind, reason, state, status, outcome, created_at, updated_at, finished_at, decisions, handles, cancel_requested)
                    VALUES (?, ?, 'rollback', ?, 'rolled_back', 'finished', 'rolled_back', ?, ?, ?, ?, '{}', 0)
                    """,
                arguments: [cycleId, pipeline, change.reason, at, at, at, JSONValue.object(decisions).jsonText])
            try db.execute(
                sql:
                    "INSERT INTO transitions (cycle_id, from_state, to_state, outcome, at, details) VALUES (?, NULL, 'rolled_back', 'rolled_back', ?, ?)",
                arguments: [cycleId, at, try JSONValue.encoding(change).jsonText])
            var stored = change
            stored.cycleId = cycleId
            try Self.insert(stored, db: db)
        }
        guard let record = try await self.cycle(id: cycleId) else { throw StoreError.unknownCycle(cycleId) }
        return record
    }

    public func recordChampionChange(_ change: ChampionChange) async throws {
        try await self.pool.write { db in try Self.insert(change, db: db) }
    }

    public func championHistory(model: String) async throws -> [ChampionChange] {
        try await self.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM champion_history WHERE model = ? ORDER BY id", arguments: [model]).map { row in
                ChampionChange(
                    model: row["model"], version: row["version"], previousVersion: row["previous_version"], cycleId: row["cycle_id"],
                    kind: ChampionChange.Kind(rawValue: row["kind"]) ?? .promotion, at: Date(timeIntervalSince1970: row["at"]),
                    actor: row["actor"], reason: row["reason"])
            }
        }
    }

    private static func insert(_ change: ChampionChange, db: Database) throws {
        try db.execute(
            sql: "INSERT INTO champion_history (model, version, previous_version, cycle_id, kind, at, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                change.model, change.version, change.previousVersion, change.cycleId, change.kind.rawValue, change.at.timeIntervalSince1970,
                change.actor, change.reason,
            ])
    }

    static func cycle(from row: Row) -> CycleRecord {
        let handlesText: String = row["handles"]
        let finishedAt: Double? = row["finished_at"]
        let outcome: String? = row["outcome"]
        return CycleRecord(
            id: row["id"], pipeline: row["pipeline"], kind: TriggerKind(rawValue: row["kind"]) ?? .manual, reason: row["reason"],
            state: row["state"], status: CycleRecord.Status(rawValue: row["status"]) ?? .running,
            outcome: outcome.flatMap(CycleOutcome.init(rawValue:)),
            createdAt: Date(timeIntervalSince1970: row["created_at"]), updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
            finishedAt: finishedAt.map(Date.init(timeIntervalSince1970:)), decisions: JSONValue.parse(row["decisions"])?.objectValue ?? [:],
            handles: (try? JSONDecoder().decode([String: String].self, from: Data(handlesText.utf8))) ?? [:],
            cancelRequested: (row["cancel_requested"] as Int) != 0, failure: row["failure"])
    }
}
