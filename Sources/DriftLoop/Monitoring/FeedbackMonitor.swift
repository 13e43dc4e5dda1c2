import Foundation
import Logging

/// Consumes a pipeline's labelled feedback from the store in label order, runs its `PerformanceMonitor`, turns what
/// fires into triggers, and stores the monitor's state with the position it reached.
///
/// Triggers are submitted before the snapshot is saved, with a key derived from the record that fired, so a crash
/// in between replays the same records and the repeated trigger joins the cycle it already started.
actor FeedbackMonitor {
    typealias Submit = @Sendable (Trigger) async throws -> TriggerAcceptance
    typealias Champion = @Sendable () async -> (version: String?, metrics: [String: Double]?)

    let pipeline: String
    private let policy: MonitoringPolicy
    private let store: any FeedbackStore
    private let submit: Submit
    private let champion: Champion
    private let logger: Logger
    private var monitor: PerformanceMonitor?
    private var position: Int64 = 0
    private var isProcessing = false
    private var pending = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    static let batchSize = 2000

    init(pipeline: String, policy: MonitoringPolicy, store: any FeedbackStore, submit: @escaping Submit, champion: @escaping Champion, logger: Logger)
    {
        self.pipeline = pipeline
        self.policy = policy
        self.store = store
        self.submit = submit
        self.champion = champion
        self.logger = logger
    }

    /// Processes every labelled record not yet seen. A call during a pass waits for one more pass, which covers it.
    func process() async throws {
        if self.isProcessing {
            self.pending = true
            await withCheckedContinuation { self.waiters.append($0) }
            return
        }
        self.isProcessing = true
        defer {
            self.isProcessing = false
            let waiters = self.waiters
            self.waiters = []
            for waiter in waiters { waiter.resume() }
        }
        repeat {
            self.pending = false
            try await self.drain()
        } while self.pending
    }

    private func drain() async throws {
        let champion = await self.champion()
        var monitor = try await self.loadMonitor(championVersion: champion.version)
        let baseline = self.policy.baseline ?? champion.metrics
        while true {
            let records = try await self.store.labelledFeedback(pipeline: self.pipeline, after: self.position, limit: Self.batchSize)
            guard let last = records.last else { break }
            var signals: [MonitorSignal] = []
            for record in records {
                signals += monitor.observe(record, pipeline: self.pipeline, baseline: baseline)
            }
            for signal in signals {
                let acceptance = try await self.submit(
                    Trigger(kind: signal.kind, source: "feedback", reason: signal.summary, dedupKey: signal.dedupKey, payload: signal.evidence))
                self.logger.notice(
                    "\(signal.kind.rawValue) from feedback",
                    metadata: [
                        "pipeline": "\(self.pipeline)", "cycle": "\(acceptance.cycleId)", "disposition": "\(acceptance.disposition.rawValue)",
                        "why": "\(signal.summary)",
                    ])
            }
            let state = String(decoding: try MonitorSnapshotCoding.encoder.encode(monitor), as: UTF8.self)
            try await self.store.saveMonitorSnapshot(MonitorSnapshotRecord(pipeline: self.pipeline, throughSeq: last.labelledSeq, state: state))
            self.position = last.labelledSeq
            self.monitor = monitor
        }
        self.monitor = monitor
    }

    /// The monitor in memory, else the stored snapshot, else a fresh one; a new champion starts afresh.
    private func loadMonitor(championVersion: String?) async throws -> PerformanceMonitor {
        if self.monitor == nil, let snapshot = try await self.store.monitorSnapshot(pipeline: self.pipeline) {
            self.position = snapshot.throughSeq
            if let restored = try? MonitorSnapshotCoding.decoder.decode(PerformanceMonitor.self, from: Data(snapshot.state.utf8)),
                restored.policy == self.policy
            {
                self.monitor = restored
            }
        }
        if let monitor = self.monitor, monitor.championVersion == championVersion { return monitor }
        let fresh = try PerformanceMonitor(policy: self.policy, championVersion: championVersion)
        self.monitor = fresh
        return fresh
    }
}

/// Detectors hold infinities by design (DDM's minimum before its warm-up ends), which plain JSON cannot carry.
enum MonitorSnapshotCoding {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
