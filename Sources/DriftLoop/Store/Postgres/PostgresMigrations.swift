/// Schema versions of the PostgreSQL store: the SQLite store's tables, plus the replicas' leases.
/// Add a migration; never edit a shipped one.
enum PostgresMigrations {
    /// Each migration is a list of statements, applied in one transaction with its name recorded.
    static let all: [(name: String, statements: [String])] = [
        (
            "v1: cycles, transitions, triggers, champion history, feedback, alerts, leases",
            [
                """
                CREATE TABLE cycles (
                    id TEXT PRIMARY KEY,
                    seq BIGSERIAL NOT NULL,
                    pipeline TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    reason TEXT,
                    state TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
                    outcome TEXT,
                    created_at DOUBLE PRECISION NOT NULL,
                    updated_at DOUBLE PRECISION NOT NULL,
                    finished_at DOUBLE PRECISION,
                    decisions TEXT NOT NULL,
                    handles TEXT NOT NULL,
                    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
                    failure TEXT
                )
                """,
                "CREATE INDEX cycles_by_pipeline ON cycles (pipeline, created_at)",
                "CREATE INDEX cycles_running ON cycles (created_at) WHERE status = 'running'",
                // One cycle at a time per pipeline, enforced by the database as well as the controller.
                "CREATE UNIQUE INDEX one_running_cycle_per_pipeline ON cycles (pipeline) WHERE status = 'running' AND kind <> 'rollback'",
                """
                CREATE TABLE transitions (
                    id BIGSERIAL PRIMARY KEY,
                    cycle_id TEXT NOT NULL REFERENCES cycles (id),
                    from_state TEXT,
                    to_state TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    at DOUBLE PRECISION NOT NULL,
                    details TEXT NOT NULL
                )
                """,
                "CREATE INDEX transitions_by_cycle ON transitions (cycle_id, id)",
                """
                CREATE TABLE triggers (
                    id BIGSERIAL PRIMARY KEY,
                    pipeline TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    dedup_key TEXT,
                    payload TEXT NOT NULL,
                    received_at DOUBLE PRECISION NOT NULL,
                    cycle_id TEXT NOT NULL REFERENCES cycles (id),
                    disposition TEXT NOT NULL
                )
                """,
                "CREATE INDEX triggers_by_cycle ON triggers (cycle_id)",
                "CREATE INDEX triggers_by_dedup ON triggers (pipeline, dedup_key)",
                """
                CREATE TABLE champion_history (
                    id BIGSERIAL PRIMARY KEY,
                    model TEXT NOT NULL,
                    version TEXT NOT NULL,
                    previous_version TEXT,
                    cycle_id TEXT,
                    kind TEXT NOT NULL,
                    at DOUBLE PRECISION NOT NULL,
                    actor TEXT NOT NULL,
                    reason TEXT
                )
                """,
                "CREATE INDEX champion_history_by_model ON champion_history (model, id)",
                """
                CREATE TABLE feedback (
                    seq BIGSERIAL PRIMARY KEY,
                    pipeline TEXT NOT NULL,
                    record_id TEXT NOT NULL,
                    timestamp DOUBLE PRECISION,
                    prediction TEXT NOT NULL,
                    score DOUBLE PRECISION,
                    label TEXT,
                    features TEXT,
                    received_at DOUBLE PRECISION NOT NULL,
                    labelled_seq BIGINT
                )
                """,
                "CREATE UNIQUE INDEX feedback_by_record ON feedback (pipeline, record_id)",
                "CREATE INDEX feedback_by_labelled_seq ON feedback (pipeline, labelled_seq) WHERE labelled_seq IS NOT NULL",
                """
                CREATE TABLE monitor_snapshots (
                    pipeline TEXT PRIMARY KEY,
                    through_seq BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    updated_at DOUBLE PRECISION NOT NULL
                )
                """,
                """
                CREATE TABLE alert_resolutions (
                    id BIGSERIAL PRIMARY KEY,
                    pipeline TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    starts_at TEXT NOT NULL,
                    ends_at TEXT,
                    cycle_id TEXT REFERENCES cycles (id),
                    payload TEXT NOT NULL,
                    received_at DOUBLE PRECISION NOT NULL
                )
                """,
                "CREATE UNIQUE INDEX alert_resolutions_once ON alert_resolutions (pipeline, fingerprint, starts_at)",
                // Which replica runs a pipeline's cycles, until when. Expiry is in the database's clock, so replicas'
                // clocks need not agree.
                """
                CREATE TABLE pipeline_leases (
                    pipeline TEXT PRIMARY KEY,
                    owner TEXT NOT NULL,
                    expires_at DOUBLE PRECISION NOT NULL,
                    acquired_at DOUBLE PRECISION NOT NULL
                )
                """,
            ]
        ),
        (
            "v2: paused pipelines",
            [
                """
                CREATE TABLE pipeline_pauses (
                    pipeline TEXT PRIMARY KEY,
                    paused_at DOUBLE PRECISION NOT NULL,
                    actor TEXT NOT NULL,
                    reason TEXT
                )
                """
            ]
        ),
        // The live production window reads a pipeline's newest records, by arrival.
        ("v3: feedback by arrival", ["CREATE INDEX feedback_by_arrival ON feedback (pipeline, seq)"]),
    ]
}
