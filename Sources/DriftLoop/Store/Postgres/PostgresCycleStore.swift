import Foundation
import Logging
import PostgresNIO

/// The cycle store for several replicas: PostgreSQL through postgres-nio's connection pool.
///
/// Writes that decide something for a pipeline (accepting a trigger, ingesting feedback) take a transaction-scoped
/// advisory lock on the pipeline, so replicas decide one at a time per pipeline, as SQLite's single writer does.
public final class PostgresCycleStore: CycleStore {
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>

    /// Connects (the pool runs until `close`), waits for the server and migrates the schema.
    public static func open(settings: PostgresConnectionSettings, logger: Logger) async throws -> PostgresCycleStore {
        let store = PostgresCycleStore(settings: settings, logger: logger)
        do {
            try await store.migrate(timeout: settings.connectTimeout)
        } catch {
            store.close()
            throw error
        }
        return store
    }

    private init(settings: PostgresConnectionSettings, logger: Logger) {
        let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.runTask = Task { await client.run() }
    }

    /// Stops the connection pool.
    public func close() {
        self.runTask.cancel()
    }

    deinit { self.runTask.cancel() }

    private func migrate(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                // The pool retries a refused connection by itself for as long as a request waits: bound the wait.
                try await Self.within(deadline - ContinuousClock.now) { try await self.applyMigrations() }
                return
            } catch let error as PostgresStoreError {
                throw error
            } catch {
                // The server may still be starting: keep trying until the connect timeout.
                guard ContinuousClock.now < deadline else { throw PostgresStoreError.unreachable(PostgresStoreError.describe(error)) }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    private struct TimedOut: Error, CustomStringConvertible {
        var description: String { "no connection within the connect timeout" }
    }

    private static func within(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: max(limit, .milliseconds(50)))
                throw TimedOut()
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func applyMigrations() async throws {
        try await self.client.withTransaction(logger: self.logger) { connection in
            // Replicas starting together migrate one at a time.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('driftloop.migrations'))", logger: self.logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS driftloop_migrations (name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)", logger: self.logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM driftloop_migrations", logger: self.logger).decode(String.self) {
                applied.insert(name)
            }
            let known = Set(PostgresMigrations.all.map(\.name))
            if let unknown = applied.subtracting(known).sorted().first {
                throw PostgresStoreError.newerSchema(unknown)
            }
            for migration in PostgresMigrations.all where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query(
                    "INSERT INTO driftloop_migrations (name, applied_at) VALUES (\(migration.name), \(Date().timeIntervalSince1970))",
                    logger: self.logger)
            }
        }
    }

    /// Runs `body` in a transaction, and turns the driver's errors into ones that say what failed.
    @discardableResult
    func transaction<Result: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await self.client.withTransaction(logger: self.logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError, closure is StoreError { throw closure }
            throw PostgresStoreError.failed(operation, PostgresStoreError.describe(error.closureError ?? error))
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostgresStoreError.failed(operation, PostgresStoreError.describe(error))
        }
    }

    /// Runs one read query and collects its rows.
    func rows(_ operation: String, _ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        do {
            return try await self.client.query(query, logger: self.logger).collect().map { $0.makeRandomAccess() }
        } catch {
            throw PostgresStoreError.failed(operation, PostgresStoreError.describe(error))
        }
    }

    public func acceptTrigger(pipeline: String, trigger: Trigger, initialState: String, cooldown: Duration, now: Date) async throws
        -> TriggerAcceptance
    {
        try await self.transaction("accept a trigger") { connection in
            try await Self.lockPipeline(pipeline, connection: connection, logger: self.logger)
            return try await self.accept(
                trigger, pipeline: pipeline, initialState: initialState, cooldown: cooldown, now: now, connection: connection)
        }
    }

    public func acceptTriggers(pipeline: String, triggers: [Trigger], initialState: String, cooldown: Duration, now: Date) async throws
        -> [TriggerAcceptance]
    {
        try await self.transaction("accept triggers") { connection in
            try await Self.lockPipeline(pipeline, connection: connection, logger: self.logger)
            var acceptances: [TriggerAcceptance] = []
            for trigger in triggers {
                acceptances.append(
                    try await self.accept(
                        trigger, pipeline: pipeline, initialState: initialState, cooldown: cooldown, now: now, connection: connection))
            }
            return acceptances
        }
    }

    /// Records one trigger as `TriggerPolicy` decides, inside the caller's transaction, which holds the pipeline's lock.
    private func accept(
        _ trigger: Trigger, pipeline: String, initialState: String, cooldown: Duration, now: Date, connection: PostgresConnection
    ) async throws -> TriggerAcceptance {
        let facts = try await self.triggerFacts(trigger, pipeline: pipeline, connection: connection)
        let decision = TriggerPolicy(cooldown: cooldown).decide(trigger, facts: facts, now: now)
        let cycleId: String
        if let joined = decision.joinedCycle {
            cycleId = joined
        } else {
            cycleId = try await self.startCycle(trigger, pipeline: pipeline, initialState: initialState, now: now, connection: connection)
        }
        let payload = try JSONValue.encoding(trigger).jsonText
        let rows = try await connection.query(
            """
            INSERT INTO triggers (pipeline, kind, dedup_key, payload, received_at, cycle_id, disposition)
            VALUES (\(pipeline), \(trigger.kind.rawValue), \(trigger.dedupKey), \(payload), \(now.timeIntervalSince1970), \(cycleId),
                    \(decision.disposition.rawValue)) RETURNING id
            """, logger: self.logger)
        var triggerId: Int64 = 0
        for try await id in rows.decode(Int64.self) { triggerId = id }
        return TriggerAcceptance(triggerId: triggerId, cycleId: cycleId, disposition: decision.disposition)
    }

    /// What `TriggerPolicy` decides from: the dedup key's first cycle, the running cycle, the last finished one.
    private func triggerFacts(_ trigger: Trigger, pipeline: String, connection: PostgresConnection) async throws -> TriggerPolicy.Facts {
        var facts = TriggerPolicy.Facts()
        if let key = trigger.dedupKey {
            facts.duplicateOf = try await Self.firstString(
                connection.query(
                    "SELECT cycle_id FROM triggers WHERE pipeline = \(pipeline) AND dedup_key = \(key) ORDER BY id LIMIT 1", logger: self.logger))
        }
        facts.runningCycle = try await Self.firstString(
            connection.query(
                "SELECT id FROM cycles WHERE pipeline = \(pipeline) AND status = 'running' AND kind <> 'rollback' ORDER BY created_at LIMIT 1",
                logger: self.logger))
        let finished = try await connection.query(
            """
            SELECT id, finished_at FROM cycles WHERE pipeline = \(pipeline) AND status = 'finished' AND kind <> 'rollback'
            ORDER BY finished_at DESC LIMIT 1
            """, logger: self.logger)
        for try await (id, at) in finished.decode((String, Double).self) { facts.lastFinished = (id, Date(timeIntervalSince1970: at)) }
        return facts
    }

    /// A new running cycle in its initial state, with its first transition.
    private func startCycle(_ trigger: Trigger, pipeline: String, initialState: String, now: Date, connection: PostgresConnection) async throws
        -> String
    {
        let cycleId = NewCycle.id(now: now)
        let at = now.timeIntervalSince1970
        let decisions = NewCycle.initialDecisions(trigger).jsonText
        try await connection.query(
            """
            INSERT INTO cycles (id, pipeline, kind, reason, state, status, created_at, updated_at, decisions, handles, cancel_requested)
            VALUES (\(cycleId), \(pipeline), \(trigger.kind.rawValue), \(trigger.reason), \(initialState), 'running', \(at), \(at), \(decisions), '{}', FALSE)
            """, logger: self.logger)
        let details = NewCycle.startedDetails(trigger).jsonText
        try await connection.query(
            """
            INSERT INTO transitions (cycle_id, from_state, to_state, outcome, at, details)
            VALUES (\(cycleId), NULL, \(initialState), \(NewCycle.startedOutcome), \(at), \(details))
            """, logger: self.logger)
        return cycleId
    }

    public func cycle(id: String) async throws -> CycleRecord? {
        try await self.rows("read a cycle", "SELECT * FROM cycles WHERE id = \(id)").first.map(Self.cycle(from:))
    }

    public func cycles(pipeline: String?, limit: Int) async throws -> [CycleRecord] {
        if let pipeline {
            return try await self.rows(
                "list cycles", "SELECT * FROM cycles WHERE pipeline = \(pipeline) ORDER BY created_at DESC, seq DESC LIMIT \(limit)"
            ).map(Self.cycle(from:))
        }
        return try await self.rows("list cycles", "SELECT * FROM cycles ORDER BY created_at DESC, seq DESC LIMIT \(limit)").map(Self.cycle(from:))
    }

    public func runningCycles() async throws -> [CycleRecord] {
        try await self.rows("list running cycles", "SELECT * FROM cycles WHERE status = 'running' ORDER BY created_at, seq").map(Self.cycle(from:))
    }

    public func transitions(cycleId: String) async throws -> [TransitionRecord] {
        try await self.rows("read transitions", "SELECT * FROM transitions WHERE cycle_id = \(cycleId) ORDER BY id").map { row in
            TransitionRecord(
                id: try row["id"].decode(Int64.self), cycleId: try row["cycle_id"].decode(String.self),
                from: try row["from_state"].decode(String?.self),
                to: try row["to_state"].decode(String.self), outcome: try row["outcome"].decode(String.self),
                at: Date(timeIntervalSince1970: try row["at"].decode(Double.self)),
                details: JSONValue.parse(try row["details"].decode(String.self)) ?? .null)
        }
    }

    public func triggers(cycleId: String) async throws -> [TriggerRecord] {
        try await self.triggers(cycleId: cycleId, after: Int64.min, limit: Int.max)
    }

    public func triggerCount(cycleId: String) async throws -> Int {
        try await self.rows("count triggers", "SELECT COUNT(*) AS n FROM triggers WHERE cycle_id = \(cycleId)").first.map {
            Int(try $0["n"].decode(Int64.self))
        } ?? 0
    }

    public func triggers(cycleId: String, after: Int64, limit: Int) async throws -> [TriggerRecord] {
        let limit = Int64(clamping: limit)
        return try await self.rows("read triggers", "SELECT * FROM triggers WHERE cycle_id = \(cycleId) AND id > \(after) ORDER BY id LIMIT \(limit)")
            .map { row in
                let payload = try row["payload"].decode(String.self)
                let trigger = try JSONDecoder().decode(Trigger.self, from: Data(payload.utf8))
                return TriggerRecord(
                    id: try row["id"].decode(Int64.self), pipeline: try row["pipeline"].decode(String.self), trigger: trigger,
                    receivedAt: Date(timeIntervalSince1970: try row["received_at"].decode(Double.self)),
                    cycleId: try row["cycle_id"].decode(String.self),
                    disposition: TriggerDisposition(rawValue: try row["disposition"].decode(String.self)) ?? .started)
            }
    }

    public func commit(_ transition: TransitionCommit, at: Date) async throws {
        try await self.transaction("commit a transition") { connection in
            let rows = try await connection.query(
                "SELECT state, status, decisions FROM cycles WHERE id = \(transition.cycleId) FOR UPDATE", logger: self.logger)
            var current: (state: String, status: String, decisions: String)?
            for try await row in rows.decode((String, String, String).self) { current = row }
            guard let current else { throw StoreError.unknownCycle(transition.cycleId) }
            // A stale controller (after a takeover or a duplicate resume) must not move a cycle twice.
            guard current.status == CycleRecord.Status.running.rawValue, current.state == transition.from else {
                throw StoreError.staleTransition(
                    cycleId: transition.cycleId, expected: transition.from, actual: current.state, status: current.status)
            }
            var decisions = JSONValue.parse(current.decisions)?.objectValue ?? [:]
            for (key, value) in transition.decisions { decisions[key] = value }
            let time = at.timeIntervalSince1970
            let details = transition.details.jsonText
            try await connection.query(
                """
                INSERT INTO transitions (cycle_id, from_state, to_state, outcome, at, details)
                VALUES (\(transition.cycleId), \(transition.from), \(transition.to), \(transition.outcome), \(time), \(details))
                """, logger: self.logger)
            let finishing = transition.finishing?.rawValue
            let decisionsText = JSONValue.object(decisions).jsonText
            try await connection.query(
                """
                UPDATE cycles SET state = \(transition.to), updated_at = \(time), decisions = \(decisionsText),
                    status = CASE WHEN \(finishing)::text IS NULL THEN 'running' ELSE 'finished' END,
                    outcome = \(finishing), finished_at = CASE WHEN \(finishing)::text IS NULL THEN NULL ELSE \(time)::double precision END,
                    failure = COALESCE(\(transition.failure), failure)
                WHERE id = \(transition.cycleId)
                """, logger: self.logger)
        }
    }

    public func recordHandle(cycleId: String, key: String, value: String) async throws {
        try await self.transaction("record a handle") { connection in
            guard
                let text = try await Self.firstString(
                    connection.query("SELECT handles FROM cycles WHERE id = \(cycleId) FOR UPDATE", logger: self.logger))
            else { throw StoreError.unknownCycle(cycleId) }
            var handles = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
            handles[key] = value
            let encoded = String(decoding: try JSONEncoder().encode(handles), as: UTF8.self)
            try await connection.query(
                "UPDATE cycles SET handles = \(encoded), updated_at = \(Date().timeIntervalSince1970) WHERE id = \(cycleId)", logger: self.logger)
        }
    }

    public func requestCancel(cycleId: String) async throws -> Bool {
        try await self.transaction("request a cancel") { connection in
            let rows = try await connection.query(
                "UPDATE cycles SET cancel_requested = TRUE WHERE id = \(cycleId) AND status = 'running' RETURNING id", logger: self.logger)
            return try await rows.collect().count > 0
        }
    }

    public func recordRollback(pipeline: String, change: ChampionChange, decisions: [String: JSONValue]) async throws -> CycleRecord {
        let cycleId = NewCycle.id(now: change.at)
        let at = change.at.timeIntervalSince1970
        let decisionsText = JSONValue.object(decisions).jsonText
        let details = try JSONValue.encoding(change).jsonText
        var stored = change
        stored.cycleId = cycleId
        try await self.transaction("record a rollback") { [stored] connection in
            try await connection.query(
                """
                INSERT INTO cycles (id, pipeline, kind, reason, state, status, outcome, created_at, updated_at, finished_at, decisions, handles, cancel_requested)
                VALUES (\(cycleId), \(pipeline), 'rollback', \(change.reason), 'rolled_back', 'finished', 'rolled_back', \(at), \(at), \(at), \(decisionsText), '{}', FALSE)
                """, logger: self.logger)
            try await connection.query(
                """
                INSERT INTO transitions (cycle_id, from_state, to_state, outcome, at, details)
                VALUES (\(cycleId), NULL, 'rolled_back', 'rolled_back', \(at), \(details))
                """, logger: self.logger)
            try await self.insert(stored, connection: connection)
        }
        guard let record = try await self.cycle(id: cycleId) else { throw StoreError.unknownCycle(cycleId) }
        return record
    }

    public func recordChampionChange(_ change: ChampionChange) async throws {
        try await self.transaction("record a champion change") { connection in try await self.insert(change, connection: connection) }
    }

    public func championHistory(model: String) async throws -> [ChampionChange] {
        try await self.rows("read the champion history", "SELECT * FROM champion_history WHERE model = \(model) ORDER BY id").map { row in
            ChampionChange(
                model: try row["model"].decode(String.self), version: try row["version"].decode(String.self),
                previousVersion: try row["previous_version"].decode(String?.self), cycleId: try row["cycle_id"].decode(String?.self),
                kind: ChampionChange.Kind(rawValue: try row["kind"].decode(String.self)) ?? .promotion,
                at: Date(timeIntervalSince1970: try row["at"].decode(Double.self)), actor: try row["actor"].decode(String.self),
                reason: try row["reason"].decode(String?.self))
        }
    }

    private func insert(_ change: ChampionChange, connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO champion_history (model, version, previous_version, cycle_id, kind, at, actor, reason)
            VALUES (\(change.model), \(change.version), \(change.previousVersion), \(change.cycleId), \(change.kind.rawValue),
                \(change.at.timeIntervalSince1970), \(change.actor), \(change.reason))
            """, logger: self.logger)
    }

    /// Serialises this transaction with every other one that decides something for `pipeline`, on any replica.
    static func lockPipeline(_ pipeline: String, connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("driftloop.pipeline:" + pipeline), 0))", logger: logger)
    }

    static func firstString(_ rows: PostgresRowSequence) async throws -> String? {
        var first: String?
        for try await value in rows.decode(String.self) where first == nil { first = value }
        return first
    }

    static func cycle(from row: PostgresRandomAccessRow) throws -> CycleRecord {
        let handlesText = try row["handles"].decode(String.self)
        return CycleRecord(
            id: try row["id"].decode(String.self), pipeline: try row["pipeline"].decode(String.self),
            kind: TriggerKind(rawValue: try row["kind"].decode(String.self)) ?? .manual, reason: try row["reason"].decode(String?.self),
            state: try row["state"].decode(String.self), status: CycleRecord.Status(rawValue: try row["status"].decode(String.self)) ?? .running,
            outcome: try row["outcome"].decode(String?.self).flatMap(CycleOutcome.init(rawValue:)),
            createdAt: Date(timeIntervalSince1970: try row["created_at"].decode(Double.self)),
            updatedAt: Date(timeIntervalSince1970: try row["updated_at"].decode(Double.self)),
            finishedAt: try row["finished_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:)),
            decisions: JSONValue.parse(try row["decisions"].decode(String.self))?.objectValue ?? [:],
            handles: (try? JSONDecoder().decode([String: String].self, from: Data(handlesText.utf8))) ?? [:],
            cancelRequested: try row["cancel_requested"].decode(Bool.self), failure: try row["failure"].decode(String?.self))
    }
}
