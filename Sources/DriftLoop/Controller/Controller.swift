import DriftStats
import Foundation
import Logging

/// All pipelines' controllers over one store: routes triggers, cancels, rollbacks, and resumes
/// unfinished cycles at start.
public actor Controller {
    /// Only the controller writes the store; everything else reads through `history`.
    nonisolated let store: any CycleStore
    /// What the controller has recorded, for reading: cycles, transitions, triggers, champion changes.
    public nonisolated let history: CycleHistory
    /// The controller's time: cooldowns, timeouts, schedules, leases, retention.
    package nonisolated let clock: any ControllerClock
    private let controllers: [String: PipelineController]
    private let servicesByPipeline: [String: PipelineServices]
    private let monitors: [String: FeedbackMonitor]
    private let logger: Logger
    private let driftObserver: DriftObserver?
    private let gate: PipelineGate
    private let leases: LeaseKeeper?
    /// Pipelines with stored feedback their monitor has not read yet, for `runFeedbackMonitors`; each is queued once.
    private let feedbackArrivals: (stream: AsyncStream<String>, continuation: AsyncStream<String>.Continuation)
    private var feedbackPending: Set<String> = []
    /// Whether any pipeline declares `feedback_retention`, decided once from the declared pipelines.
    private nonisolated let pipelinesWithFeedbackRetention: Bool

    /// Called with every drift report a scheduled check computes (the server publishes it to `/metrics`).
    package typealias DriftObserver = @Sendable (_ pipeline: String, _ report: DriftReport) async -> Void

    /// The controller as the benchmarks package builds it (it sees only public declarations): no observers, no
    /// concurrency cap, no leases, the system clock.
    public init(
        pipelines: [PipelineDefinition], store: any CycleStore, services: @Sendable (PipelineDefinition) -> PipelineServices, logger: Logger,
        makeAction: @escaping @Sendable (ActionKind) -> any Action
    ) {
        self.init(pipelines: pipelines, store: store, services: services, logger: logger, observer: nil, makeAction: makeAction)
    }

    package init(
        pipelines: [PipelineDefinition], store: any CycleStore, services: @Sendable (PipelineDefinition) -> PipelineServices, logger: Logger,
        observer: PipelineController.TransitionObserver? = nil, triggerObserver: PipelineController.TriggerObserver? = nil,
        driftObserver: DriftObserver? = nil, slots: CycleSlots = CycleSlots(limit: nil), leases: LeaseKeeper? = nil,
        clock: any ControllerClock = SystemClock(), makeAction: @escaping @Sendable (ActionKind) -> any Action = { $0.make() }
    ) {
        self.store = store
        self.history = CycleHistory(store: store)
        self.clock = clock
        self.feedbackArrivals = AsyncStream.makeStream(of: String.self)
        self.pipelinesWithFeedbackRetention = pipelines.contains { $0.feedbackRetention != nil }
        self.leases = leases
        let gate = PipelineGate(leases: leases)
        self.gate = gate
        self.driftObserver = driftObserver
        self.logger = logger
        var controllers: [String: PipelineController] = [:]
        var servicesByPipeline: [String: PipelineServices] = [:]
        for pipeline in pipelines {
            let pipelineServices = services(pipeline)
            servicesByPipeline[pipeline.name] = pipelineServices
            controllers[pipeline.name] = PipelineController(
                pipeline: pipeline, services: pipelineServices, store: store, logger: logger, observer: observer, triggerObserver: triggerObserver,
                slots: slots, gate: gate, clock: clock, makeAction: makeAction)
        }
        self.controllers = controllers
        self.servicesByPipeline = servicesByPipeline
        var monitors: [String: FeedbackMonitor] = [:]
        for pipeline in pipelines {
            guard let policy = pipeline.monitoring, let controller = controllers[pipeline.name],
                let pipelineServices = servicesByPipeline[pipeline.name]
            else {
                continue
            }
            let model = pipeline.model
            monitors[pipeline.name] = FeedbackMonitor(
                pipeline: pipeline.name, policy: policy, store: store,
                submit: { trigger in try await controller.submit(trigger) },
                champion: {
                    let champion = try? await pipelineServices.registry.champion(model: model)
                    return (champion?.version, champion?.metrics)
                },
                logger: logger)
        }
        self.monitors = monitors
    }

    /// Stores a feedback batch (committed before this returns), then lets the pipeline's monitor consume it.
    package func ingestFeedback(pipeline name: String, records: [FeedbackRecord]) async throws -> FeedbackIngestResult {
        guard self.controllers[name] != nil else { throw ControllerError.unknownPipeline(name) }
        let result = try await self.store.ingestFeedback(pipeline: name, records: records)
        if self.monitors[name] != nil, self.feedbackPending.insert(name).inserted {
            self.feedbackArrivals.continuation.yield(name)
        }
        return result
    }

    /// Runs each pipeline's monitor over the feedback that arrives, as batches are stored, until cancelled. A failing
    /// monitor resumes from its stored position on the next batch.
    package func runFeedbackMonitors() async {
        for await name in self.feedbackArrivals.stream {
            self.feedbackPending.remove(name)
            // With replicas, the lease holder consumes feedback (it also does so on every lease poll).
            guard let monitor = self.monitors[name], await self.gate.mayRun(name, cancelling: true) else { continue }
            do {
                try await monitor.process()
            } catch {
                self.logger.error(
                    "feedback monitor failed; it resumes from its stored position on the next batch",
                    metadata: ["pipeline": "\(name)", "error": "\(error)"])
            }
        }
    }

    /// Runs the pipeline's monitor over every stored labelled record it has not seen yet, and waits for it.
    public func processFeedback(pipeline name: String) async throws {
        try await self.monitors[name]?.process()
    }

    /// Deletes production feedback past each pipeline's `feedback_retention`, never a labelled record its monitor has
    /// yet to read. Returns how many records went.
    @discardableResult
    package func pruneFeedback(now: Date? = nil) async throws -> Int {
        let now = now ?? self.clock.now()
        var removed = 0
        for pipeline in self.controllers.values.map(\.pipeline) {
            guard let retention = pipeline.feedbackRetention else { continue }
            var consumedThrough: Int64? = nil
            if pipeline.monitoring != nil { consumedThrough = try await self.store.monitorSnapshot(pipeline: pipeline.name)?.throughSeq ?? 0 }
            removed += try await self.store.deleteFeedback(
                pipeline: pipeline.name, receivedBefore: retention.maxAge.map { now.addingTimeInterval(-$0.seconds) },
                keepingLatest: retention.maxRecords,
                consumedThrough: consumedThrough)
        }
        return removed
    }

    /// Applies the store's retention: finished cycles past `retention` (when set) and feedback past each pipeline's
    /// `feedback_retention`. Returns how many cycles and feedback records went.
    package func applyRetention(_ retention: RetentionSettings?) async throws -> (cycles: Int, feedback: Int) {
        var cycles = 0
        if let retention {
            cycles = try await self.store.deleteFinishedCycles(
                finishedBefore: self.clock.now().addingTimeInterval(-retention.maxAge.seconds), keepingLatest: retention.keepLatest)
        }
        return (cycles, try await self.pruneFeedback())
    }

    /// Whether there is anything for `applyRetention` to do.
    package nonisolated func hasRetention(_ retention: RetentionSettings?) -> Bool {
        retention != nil || self.pipelinesWithFeedbackRetention
    }

    /// Resolves a firing Alertmanager alert: records the resolution against the cycle its firing started or joined.
    /// Returns that cycle, and whether this resolution was already recorded.
    package func resolveAlert(pipeline: String, fingerprint: String, startsAt: String, endsAt: String?, payload: JSONValue) async throws -> (
        cycleId: String?, duplicate: Bool
    ) {
        try await self.store.recordAlertResolution(
            pipeline: pipeline, fingerprint: fingerprint, startsAt: startsAt, endsAt: endsAt,
            firingDedupKey: AlertIdentity.firingKey(fingerprint: fingerprint, startsAt: startsAt), payload: payload, now: self.clock.now())
    }

    package func pipelines() -> [PipelineDefinition] {
        self.controllers.values.map(\.pipeline).sorted { $0.name < $1.name }
    }

    package func pipeline(named name: String) -> PipelineDefinition? {
        self.controllers[name]?.pipeline
    }

    package func services(for name: String) -> PipelineServices? {
        self.servicesByPipeline[name]
    }

    /// Resumes every cycle that a previous controller left running. Returns how many.
    @discardableResult
    package func resumeRunningCycles() async throws -> Int {
        await self.gate.setPaused(Set(try await self.store.pausedPipelines().map(\.pipeline)))
        if let leases { await leases.renew() }
        let running = try await self.store.runningCycles()
        var resumed = 0
        for cycle in running {
            guard let controller = self.controllers[cycle.pipeline] else {
                self.logger.warning(
                    "a running cycle belongs to a pipeline that is no longer declared",
                    metadata: ["cycle": "\(cycle.id)", "pipeline": "\(cycle.pipeline)"])
                continue
            }
            guard await self.gate.mayRun(cycle.pipeline, cancelling: cycle.cancelRequested) else { continue }
            await controller.resume(cycleId: cycle.id)
            resumed += 1
        }
        // Feedback stored before a stop may not have been consumed yet.
        for name in self.monitors.keys where await self.gate.mayRun(name, cancelling: true) {
            // Start-up never depends on feedback: a monitor that fails resumes from its stored position later.
            do {
                try await self.processFeedback(pipeline: name)
            } catch {
                self.logger.error(
                    "feedback monitor failed at start; it resumes on the next batch", metadata: ["pipeline": "\(name)", "error": "\(error)"])
            }
        }
        return resumed
    }

    /// With several replicas: renews this replica's leases every `poll`, follows pauses made through other replicas,
    /// and picks up cycles that other replicas accepted for pipelines leased here. Runs until cancelled.
    package func runReplication(poll: Duration) async {
        guard let leases else { return }
        // Renewal has a loop of its own, so a slow scan of running cycles never delays it past the lease's margin.
        let clock = self.clock
        async let renewals: Void = {
            while !Task.isCancelled {
                await leases.renew()
                try? await clock.sleep(for: poll)
            }
        }()
        while !Task.isCancelled {
            do {
                let resumed = await self.gate.setPaused(Set(try await self.store.pausedPipelines().map(\.pipeline)))
                if !resumed.isEmpty {
                    self.logger.notice("pipelines resumed through another replica", metadata: ["pipelines": "\(resumed.sorted())"])
                }
                for cycle in try await self.store.runningCycles() {
                    guard let controller = self.controllers[cycle.pipeline], await self.gate.mayRun(cycle.pipeline, cancelling: cycle.cancelRequested)
                    else { continue }
                    await controller.resume(cycleId: cycle.id)
                }
                for (name, monitor) in self.monitors where await self.gate.mayRun(name, cancelling: true) { try await monitor.process() }
            } catch {
                self.logger.error("cannot read running cycles from the store; trying again", metadata: ["error": "\(error)"])
            }
            try? await self.clock.sleep(for: poll)
        }
        await renewals
    }

    /// Pauses a pipeline: its cycles stop at their next state and new triggers are recorded, starting cycles that
    /// wait. Returns the pause in force (an earlier one when it was paused already) and whether this call made it.
    package func pause(pipeline name: String, actor: String, reason: String?) async throws -> (pause: PipelinePause, changed: Bool) {
        guard self.controllers[name] != nil else { throw ControllerError.unknownPipeline(name) }
        let changed = try await self.store.pausePipeline(PipelinePause(pipeline: name, pausedAt: self.clock.now(), actor: actor, reason: reason))
        await self.gate.pause(name)
        guard let pause = try await self.store.pausedPipelines().first(where: { $0.pipeline == name }) else {
            throw ControllerError.unknownPipeline(name)
        }
        if changed { self.logger.notice("pipeline paused", metadata: ["pipeline": "\(name)", "actor": "\(actor)"]) }
        return (pause, changed)
    }

    /// Resumes a paused pipeline and restarts its waiting cycles. Returns false when it was not paused.
    package func resume(pipeline name: String, actor: String) async throws -> Bool {
        guard let controller = self.controllers[name] else { throw ControllerError.unknownPipeline(name) }
        let changed = try await self.store.resumePipeline(name)
        await self.gate.resume(name)
        if changed { self.logger.notice("pipeline resumed", metadata: ["pipeline": "\(name)", "actor": "\(actor)"]) }
        for cycle in try await self.store.runningCycles() where cycle.pipeline == name {
            if await self.gate.mayRun(name) { await controller.resume(cycleId: cycle.id) }
        }
        return changed
    }

    package func pause(of name: String) async throws -> PipelinePause? {
        try await self.store.pausedPipelines().first(where: { $0.pipeline == name })
    }

    public func submit(pipeline name: String, trigger: Trigger) async throws -> TriggerAcceptance {
        guard let controller = self.controllers[name] else { throw ControllerError.unknownPipeline(name) }
        return try await controller.submit(trigger)
    }

    /// Several triggers for one pipeline, stored in one transaction.
    package func submit(pipeline name: String, triggers: [Trigger]) async throws -> [TriggerAcceptance] {
        guard let controller = self.controllers[name] else { throw ControllerError.unknownPipeline(name) }
        return try await controller.submit(triggers)
    }

    package func cancel(cycleId: String) async throws -> CancelResult {
        guard let cycle = try await self.store.cycle(id: cycleId) else { throw ControllerError.unknownCycle(cycleId) }
        guard cycle.status == .running, let controller = self.controllers[cycle.pipeline] else { return .alreadyFinished(cycle.outcome) }
        return try await controller.cancel(cycleId: cycleId) ? .requested : .alreadyFinished(cycle.outcome)
    }

    package enum ApprovalError: Error, Sendable {
        case unknownCycle
        case notWaiting(state: String, status: String)
        case alreadyDecided(ApprovalDecision)
    }

    /// Records a person's decision for a cycle waiting in an `approve` state. The state picks it up on its next poll.
    package func decide(cycleId: String, approved: Bool, approver: String, comment: String?) async throws -> ApprovalDecision {
        guard let cycle = try await self.store.cycle(id: cycleId), let pipeline = self.controllers[cycle.pipeline]?.pipeline else {
            throw ApprovalError.unknownCycle
        }
        guard cycle.status == .running, pipeline.states[cycle.state]?.action == .approve else {
            throw ApprovalError.notWaiting(state: cycle.state, status: cycle.status.rawValue)
        }
        if let existing = cycle.handles[ApproveAction.decisionHandle].flatMap({ try? JSONValue.parse($0)?.decoded(as: ApprovalDecision.self) }) {
            throw ApprovalError.alreadyDecided(existing)
        }
        let decision = ApprovalDecision(verdict: approved ? .approved : .rejected, approver: approver, comment: comment, at: self.clock.now())
        try await self.store.recordHandle(cycleId: cycleId, key: ApproveAction.decisionHandle, value: try JSONValue.encoding(decision).jsonText)
        self.logger.notice("approval recorded", metadata: ["cycle": "\(cycleId)", "approved": "\(approved)", "approver": "\(approver)"])
        return decision
    }

    package enum CancelResult: Sendable {
        case requested
        case alreadyFinished(CycleOutcome?)
    }

    /// Moves the champion back and records it as a finished cycle of kind `rollback`. Without `allowingAnyVersion`
    /// the target must be an earlier champion: a rollback restores what served before, it cannot promote a version
    /// that was rejected or never evaluated against a champion.
    package func rollback(
        pipeline name: String, toVersion version: String?, actor: String, reason: String?, allowingAnyVersion: Bool = false
    ) async throws -> CycleRecord {
        guard let pipeline = self.controllers[name]?.pipeline, let services = self.servicesByPipeline[name] else {
            throw ControllerError.unknownPipeline(name)
        }
        if let version, !allowingAnyVersion {
            try await RollbackTarget.check(version: version, model: pipeline.model, registry: services.registry, store: self.store)
        }
        let (from, to) = try await services.registry.rollback(model: pipeline.model, to: version)
        let change = ChampionChange(
            model: pipeline.model, version: to.version, previousVersion: from.version, cycleId: nil, kind: .rollback, at: self.clock.now(),
            actor: actor,
            reason: reason)
        let decision = RollbackDecision(
            fromVersion: from.version, toVersion: to.version, actor: actor, reason: reason, anyVersion: allowingAnyVersion && version != nil)
        let cycle = try await self.store.recordRollback(pipeline: name, change: change, decisions: try .recording(decision))
        self.logger.notice(
            "champion rolled back", metadata: ["pipeline": "\(name)", "from": "\(from.version)", "to": "\(to.version)", "actor": "\(actor)"])
        return cycle
    }

    /// Runs every pipeline's `schedule:` until the task is cancelled. A check that fails is logged and the
    /// schedule goes on; a missed time (the controller was down) is not made up, the next one is taken.
    package func runSchedules() async {
        let scheduled = self.controllers.values.map(\.pipeline).filter { $0.schedule != nil }
        await withTaskGroup(of: Void.self) { group in
            for pipeline in scheduled {
                guard let schedule = pipeline.schedule else { continue }
                group.addTask {
                    var logger = self.logger
                    logger[metadataKey: "pipeline"] = "\(pipeline.name)"
                    let clock = self.clock
                    var last = clock.now()
                    while !Task.isCancelled, let next = schedule.next(after: last) {
                        let wait = next.timeIntervalSince(clock.now())
                        if wait > 0 { try? await clock.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up)))) }
                        if Task.isCancelled { return }
                        last = max(next, clock.now())
                        // With replicas, the pipeline's lease holder runs its schedule, so a check runs once.
                        guard await self.gate.mayRun(pipeline.name, cancelling: true) else { continue }
                        do {
                            _ = try await self.runScheduledCheck(pipeline: pipeline.name, at: next)
                        } catch {
                            logger.error("scheduled drift check failed; the schedule goes on", metadata: ["error": "\(error)"])
                        }
                    }
                }
            }
        }
    }

    /// One scheduled drift check: computes drift on the current data, publishes it, and starts a cycle when the
    /// pipeline's policy finds dataset drift and its schedule says `on_drift: cycle`.
    @discardableResult
    package func runScheduledCheck(pipeline name: String, at time: Date? = nil) async throws -> (report: DriftReport, acceptance: TriggerAcceptance?)
    {
        let time = time ?? self.clock.now()
        guard let pipeline = self.controllers[name]?.pipeline, let services = self.servicesByPipeline[name] else {
            throw ControllerError.unknownPipeline(name)
        }
        let report = try await DriftCheck.run(pipeline, loader: services.dataLoader, at: time)
        await self.driftObserver?(name, report)
        self.logger.info(
            "scheduled drift check", metadata: ["pipeline": "\(name)", "dataset_drift": "\(report.datasetDrift)", "share": "\(report.share)"])
        guard report.datasetDrift, pipeline.schedule?.onDrift != .publish else { return (report, nil) }
        let trigger = Trigger(
            kind: .schedule, source: "schedule",
            reason: "scheduled drift check: \(report.driftedColumns) of \(report.features.columns.count) columns drifted (share \(report.share))",
            dedupKey: "schedule:\(Int64(time.timeIntervalSince1970 * 1000))",
            payload: ["dataset_drift": .bool(true), "drifted_columns": .number(Double(report.driftedColumns)), "share": .number(report.share)])
        return (report, try await self.controllers[name]?.submit(trigger))
    }

    public func waitForCycle(_ cycleId: String) async {
        for controller in self.controllers.values { await controller.waitForCycle(cycleId) }
    }

    /// Graceful stop: in-flight actions are interrupted; their states run again on the next start (here or, with
    /// replicas, on the replica that takes the released leases).
    /// `releaseLeases: false` leaves them to expire, as a replica that died would.
    package func stop(releaseLeases: Bool = true) async {
        self.logger.notice("driftloop stopping: interrupting running actions at their next commit")
        for controller in self.controllers.values { await controller.stop() }
        if releaseLeases { await self.leases?.release() }
        // What an operator needs to know after a stop: nothing accepted was lost, and where the unfinished work went.
        var metadata: Logger.Metadata = [
            "persisted": "every accepted trigger and every committed transition is in the store"
        ]
        if let unfinished = try? await self.store.runningCycles().count {
            metadata["unfinished_cycles"] = "\(unfinished)"
            metadata["resume"] =
                self.leases == nil
                ? "unfinished cycles resume from their stored state at the next start"
                : (releaseLeases
                    ? "leases released: another replica resumes the unfinished cycles now"
                    : "leases left to expire: another replica resumes them after lease_ttl")
        }
        self.logger.notice("driftloop stopped", metadata: metadata)
    }
}

/// A request named a pipeline or cycle the controller does not have; routes answer it with 404.
package enum ControllerError: Error, Sendable, CustomStringConvertible {
    case unknownPipeline(String)
    case unknownCycle(String)

    package var description: String {
        switch self {
        case .unknownPipeline(let name): "no pipeline named `\(name)`"
        case .unknownCycle(let id): "no cycle with id `\(id)`"
        }
    }
}
