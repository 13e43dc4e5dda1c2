import GRDB

/// Schema versions of the SQLite store. Add a migration; never edit a shipped one.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: cycles, transitions, triggers, champion history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cycles (
                        id TEXT PRIMARY KEY,
                        pipeline TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        reason TEXT,
                        state TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
                        outcome TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        finished_at REAL,
                        decisions TEXT NOT NULL,
                        handles TEXT NOT NULL,
                        cancel_requested INTEGER NOT NULL DEFAULT 0,
                        failure TEXT
                    );
                    CREATE INDEX cycles_by_pipeline ON cycles (pipeline, created_at);
                    -- One cycle at a time per pipeline, enforced by the database as well as the controller.
                    CREATE UNIQUE INDEX one_running_cycle_per_pipeline ON cycles (pipeline) WHERE status = 'running' AND kind != 'rollback';
                    CREATE TABLE transitions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        cycle_id TEXT NOT NULL REFERENCES cycles (id),
                        from_state TEXT,
                        to_state TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        at REAL NOT NULL,
                        details TEXT NOT NULL
                    );
                    CREATE INDEX transitions_by_cycle ON transitions (cycle_id, id);
                    CREATE TABLE triggers (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        pipeline TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        dedup_key TEXT,
                        payload TEXT NOT NULL,
                        received_at REAL NOT NULL,
                        cycle_id TEXT NOT NULL REFERENCES cycles (id),
                        disposition TEXT NOT NULL
                    );
                    CREATE INDEX triggers_by_cycle ON triggers (cycle_id);
                    CREATE INDEX triggers_by_dedup ON triggers (pipeline, dedup_key);
                    CREATE TABLE champion_history (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        model TEXT NOT NULL,
                        version TEXT NOT NULL,
                        previous_version TEXT,
                        cycle_id TEXT,
                        kind TEXT NOT NULL,
                        at REAL NOT NULL,
                        actor TEXT NOT NULL,
                        reason TEXT
                    );
                    CREATE INDEX champion_history_by_model ON champion_history (model, id);
                    """)
        }
        migrator.registerMigration("v2: feedback and monitor snapshots") { db in
            try db.execute(
                sql: """
                    CREATE TABLE feedback (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        pipeline TEXT NOT NULL,
                        record_id TEXT NOT NULL,
                        timestamp REAL,
                        prediction TEXT NOT NULL,
                        score REAL,
                        label TEXT,
                        features TEXT,
                        received_at REAL NOT NULL,
                        -- The order in which labels became known: what the monitors consume, so a late label counts once.
                        labelled_seq INTEGER
                    );
                    CREATE UNIQUE INDEX feedback_by_record ON feedback (pipeline, record_id);
                    CREATE INDEX feedback_by_labelled_seq ON feedback (pipeline, labelled_seq) WHERE labelled_seq IS NOT NULL;
                    CREATE TABLE monitor_snapshots (
                        pipeline TEXT PRIMARY KEY,
                        through_seq INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3: resolved alerts") { db in
            try db.execute(
                sql: """
                    -- Resolved Alertmanager alerts start nothing; they are kept beside the cycle their firing started or joined.
                    CREATE TABLE alert_resolutions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        pipeline TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        starts_at TEXT NOT NULL,
                        ends_at TEXT,
                        cycle_id TEXT REFERENCES cycles (id),
                        payload TEXT NOT NULL,
                        received_at REAL NOT NULL
                    );
                    CREATE UNIQUE INDEX alert_resolutions_once ON alert_resolutions (pipeline, fingerprint, starts_at);
                    """)
        }
        migrator.registerMigration("v4: paused pipelines") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pipeline_pauses (
                        pipeline TEXT PRIMARY KEY,
                        paused_at REAL NOT NULL,
                        actor TEXT NOT NULL,
                        reason TEXT
                    );
                    """)
        }
        // The live production window reads a pipeline's newest records, by arrival.
        migrator.registerMigration("v5: feedback by arrival") { db in
            try db.execute(sql: "CREATE INDEX feedback_by_arrival ON feedback (pipeline, seq)")
        }
        return migrator
    }
}
