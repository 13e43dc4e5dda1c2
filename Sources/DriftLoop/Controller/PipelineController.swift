import DriftData
import Foundation
import Logging

/// Runs one pipeline's cycles through its declared state machine, one cycle at a time.
///
/// Every transition is committed to the store before the next action starts, so a controller started
/// later on the same store resumes each unfinished cycle in the state it was left in.
public actor PipelineController {
    public nonisolated let pipeline: PipelineDefinition
    private let services: PipelineServices
    private let store: any CycleStore
    private let logger: Logger
    private let observer: TransitionObserver?
    private let triggerObserver: TriggerObserver?
    private let slots: CycleSlots
    private let gate: PipelineGate
    /// When a queued cycle got its slot: its first state's timeout runs from then, not from the trigger.
    private var slotGrantedAt: [String: Date] = [:]
    private let makeAction: @Sendable (String) -> (any Action)?
    private var cycleTasks: [String: Task<Void, Never>] = [:]
    private var actionTasks: [String: Task<ActionResult, any Error>] = [:]
    private var isStopping = false
    /// Cancel requests seen by this controller, so one that lands between two steps still interrupts the next action.
    private var cancelledCycleIds: Set<String> = []

    /// Called after each committed transition (tests use it to stop the controller at a chosen point; the server
    /// counts metrics with it). A new cycle is reported as a transition from `""` to its initial state, outcome `started`.
    public typealias TransitionObserver = @Sendable (_ cycleId: String, _ from: String, _ to: String, _ outcome: String) async -> Void
    /// Called for every trigger the store accepted, whatever it decided.
    public typealias TriggerObserver = @Sendable (_ pipeline: String, _ trigger: Trigger, _ acceptance: TriggerAcceptance) async -> Void

    /// - Parameter makeAction: builds the action a state names; the standard actions unless a benchmark or test says otherwise.
    public init(
        pipeline: PipelineDefinition, services: PipelineServices, store: any CycleStore, logger: Logger, observer: TransitionObserver? = nil,
        triggerObserver: TriggerObserver? = nil, slots: CycleSlots = CycleSlots(limit: nil), gate: PipelineGate = PipelineGate(),
        makeAction: @escaping @Sendable (String) -> (any Action)? = ActionFactory.make
    ) {
        self.gate = gate
        self.triggerObserver = triggerObserver
        self.slots = slots
        self.makeAction = makeAction
        self.pipeline = pipeline
        self.services = services
        self.store = store
        var logger = logger
        logger[metadataKey: "pipeline"] = "\(pipeline.name)"
        self.logger = logger
        self.observer = observer
    }

    /// Records a trigger, then starts a cycle if the store decided it starts one. A paused pipeline's new cycle, or one
    /// whose lease another replica holds, waits in its first state (that replica picks it up).
    public func submit(_ trigger: Trigger) async throws -> TriggerAcceptance {
        let acceptance = try await self.store.acceptTrigger(
            pipeline: self.pipeline.name, trigger: trigger, initialState: self.pipeline.initialState, cooldown: self.pipeline.cooldown, now: Date())
        await self.accepted(trigger, acceptance)
        return acceptance
    }

    /// Several triggers stored in one transaction (all or none), then each handled as `submit` would.
    public func submit(_ triggers: [Trigger]) async throws -> [TriggerAcceptance] {
        let acceptances = try await self.store.acceptTriggers(
            pipeline: self.pipeline.name, triggers: triggers, initialState: self.pipeline.initialState, cooldown: self.pipeline.cooldown, now: Date())
        for (trigger, acceptance) in zip(triggers, acceptances) { await self.accepted(trigger, acceptance) }
        return acceptances
    }

    private func accepted(_ trigger: Trigger, _ acceptance: TriggerAcceptance) async {
        self.logger.info(
            "trigger accepted",
            metadata: ["cycle": "\(acceptance.cycleId)", "trigger": "\(trigger.kind.rawValue)", "disposition": "\(acceptance.disposition.rawValue)"])
        await self.triggerObserver?(self.pipeline.name, trigger, acceptance)
        if acceptance.disposition == .started {
            await self.observer?(acceptance.cycleId, "", self.pipeline.initialState, "started")
            if await self.gate.mayRun(self.pipeline.name) {
                await self.slots.enqueue(acceptance.cycleId)
                self.launch(acceptance.cycleId)
            }
        }
    }

    /// Continues a cycle left unfinished by an earlier controller.
    public func resume(cycleId: String) {
        guard self.cycleTasks[cycleId] == nil, !self.isStopping else { return }
        self.logger.info("resuming cycle", metadata: ["cycle": "\(cycleId)"])
        self.launch(cycleId)
    }

    /// Asks a running cycle to end as cancelled; the request is stored, so it holds across a restart.
    public func cancel(cycleId: String) async throws -> Bool {
        guard try await self.store.requestCancel(cycleId: cycleId) else { return false }
        self.cancelledCycleIds.insert(cycleId)
        self.actionTasks[cycleId]?.cancel()
        if self.cycleTasks[cycleId] == nil, !self.isStopping { self.launch(cycleId) }
        return true
    }

    /// Stops taking steps without waiting: the current action is interrupted and its state will run again
    /// on the next start. Safe to call from a transition observer.
    public func requestStop() {
        self.isStopping = true
        for task in self.actionTasks.values { task.cancel() }
        // Cycles still queued for a slot stop waiting (and stay in their state for the next start).
        let slots = self.slots
        for cycleId in self.cycleTasks.keys { Task { await slots.stopWaiting(cycleId) } }
    }

    /// Stops and waits until every cycle task has returned.
    public func stop() async {
        self.requestStop()
        for task in self.cycleTasks.values { await task.value }
    }

    /// Waits for a cycle this controller runs to stop (finished, or stopped by `stop`).
    public func waitForCycle(_ cycleId: String) async {
        await self.cycleTasks[cycleId]?.value
    }

    public var activeCycleIds: [String] { Array(self.cycleTasks.keys) }

    private func launch(_ cycleId: String) {
        guard self.cycleTasks[cycleId] == nil, !self.isStopping else { return }
        self.cycleTasks[cycleId] = Task { await self.drive(cycleId) }
    }

    private func drive(_ cycleId: String) async {
        var logger = self.logger
        logger[metadataKey: "cycle"] = "\(cycleId)"
        defer { self.cycleTasks[cycleId] = nil }
        let asked = Date()
        await self.slots.acquire(cycleId)
        if Date().timeIntervalSince(asked) > 0.001 { self.slotGrantedAt[cycleId] = Date() }
        defer {
            self.slotGrantedAt[cycleId] = nil
            let slots = self.slots
            Task { await slots.release(cycleId) }
        }
        while !self.isStopping {
            do {
                guard try await self.step(cycleId, logger: logger) else { return }
            } catch is CancellationError {
                return
            } catch let error as StoreError {
                logger.error("cycle stopped: \(error)")
                return
            } catch {
                // The store could not commit (disk full, locked): keep the cycle where it is and try again,
                // so nothing half-written is left and the step runs again once the store recovers.
                logger.error("cannot record the cycle's progress; retrying in 5s", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }

    /// Runs one state and commits its transition. Returns false when the cycle is finished or must pause.
    private func step(_ cycleId: String, logger: Logger) async throws -> Bool {
        guard let cycle = try await self.store.cycle(id: cycleId), cycle.status == .running else { return false }
        var logger = logger
        logger[metadataKey: "state"] = "\(cycle.state)"

        let cancelling = cycle.cancelRequested || self.cancelledCycleIds.contains(cycleId)
        guard await self.gate.mayRun(self.pipeline.name, cancelling: cancelling) else {
            logger.info("cycle waits: the pipeline is paused or leased by another replica")
            return false
        }
        if cancelling {
            try await self.finish(cycle, outcome: .cancelled, via: "cancelled", failure: nil, logger: logger)
            return false
        }
        guard let state = self.pipeline.states[cycle.state], let actionName = state.action, let action = self.makeAction(actionName) else {
            let message = "state `\(cycle.state)` is not an action state of pipeline \(self.pipeline.name) (was the pipeline file changed?)"
            try await self.finish(cycle, outcome: .failed, via: "error", failure: message, logger: logger)
            return false
        }
        let lastTransition = try await self.store.transitions(cycleId: cycleId).last?.at ?? cycle.updatedAt
        let enteredAt = max(lastTransition, self.slotGrantedAt[cycleId] ?? .distantPast)
        let context = ActionContext(cycle: cycle, pipeline: self.pipeline, state: state, services: self.services, store: self.store, logger: logger)
        let execution = await self.execute(action, context: context, enteredAt: enteredAt, logger: logger)

        let result: ActionResult
        var failure: String? = nil
        switch execution {
        case .interrupted:
            // Stopping, or a cancel request: the loop checks which and either pauses or ends the cycle.
            return !self.isStopping
        case .completed(let completed):
            result = completed
            if ActionCatalog.universalOutcomes.contains(completed.outcome) {
                // An action that ended its own state early (a wait stopped its job before the timeout) still failed.
                failure = "\(state.name): \(completed.details["error"]?.stringValue ?? completed.outcome)"
            }
        case .failed(let outcome, let message):
            result = ActionResult(outcome: outcome, details: ["error": .string(message)])
            failure = "\(state.name): \(message)"
        }
        let target = state.transitions[result.outcome]?.target ?? self.pipeline.terminalState(for: .failed) ?? "failed"
        let finishing = self.pipeline.states[target]?.terminal
        if finishing == .failed, failure == nil {
            // A declared path to failure (a training job that failed) still says why on the cycle itself.
            failure = "\(state.name): \(result.details["error"]?.stringValue ?? result.outcome)"
        }
        try await self.store.commit(
            TransitionCommit(
                cycleId: cycleId, from: state.name, to: target, outcome: result.outcome, details: result.details, decisions: result.decisions,
                finishing: finishing, failure: failure),
            at: Date())
        logger.info("transition", metadata: ["to": "\(target)", "outcome": "\(result.outcome)"])
        await self.observer?(cycleId, state.name, target, result.outcome)
        return finishing == nil
    }

    private func finish(_ cycle: CycleRecord, outcome: CycleOutcome, via: String, failure: String?, logger: Logger) async throws {
        let target = self.pipeline.terminalState(for: outcome) ?? outcome.rawValue
        try await self.store.commit(
            TransitionCommit(cycleId: cycle.id, from: cycle.state, to: target, outcome: via, finishing: outcome, failure: failure), at: Date())
        logger.info("cycle ended", metadata: ["outcome": "\(outcome.rawValue)"])
        await self.observer?(cycle.id, cycle.state, target, via)
    }

    enum Execution {
        case completed(ActionResult)
        /// A universal outcome (`error` or `timeout`) with the reason.
        case failed(outcome: String, message: String)
        case interrupted
    }

    /// Runs the action with the state's retry policy, all within the state's timeout, measured from when
    /// the cycle entered the state (a restart does not extend it).
    private func execute(_ action: any Action, context: ActionContext, enteredAt: Date, logger: Logger) async -> Execution {
        let state = context.state
        let timeout = state.timeout ?? .seconds(600)
        let deadline = enteredAt.addingTimeInterval(timeout.seconds)
        var attempt = 1
        var context = context
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                return await self.timedOut(action, context: context, after: timeout)
            }
            if attempt > 1, let stored = try? await self.store.cycle(id: context.cycle.id) {
                // A failed attempt may have recorded handles (a Jenkins trigger marker) that the retry must see.
                context.cycle.handles = stored.handles
            }
            let task = Task { [context] in try await Deadline.run(within: .milliseconds(Int64(remaining * 1000))) { try await action.run(context) } }
            self.actionTasks[context.cycle.id] = task
            if self.cancelledCycleIds.contains(context.cycle.id) || self.isStopping { task.cancel() }
            let result = await task.result
            self.actionTasks[context.cycle.id] = nil
            switch result {
            case .success(let actionResult):
                return .completed(actionResult)
            case .failure(let error) where error is CancellationError || task.isCancelled:
                return .interrupted
            case .failure(is DeadlineExceeded):
                return await self.timedOut(action, context: context, after: timeout)
            case .failure(let error):
                guard Self.isTransient(error), attempt < state.retry.attempts else {
                    logger.warning("action failed", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                    return .failed(outcome: "error", message: "\(error)")
                }
                let wait = state.retry.backoff(beforeRetry: attempt)
                logger.notice("action failed, retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)", "backoff_ms": "\(wait.milliseconds)"])
                attempt += 1
                if self.isStopping { return .interrupted }
                try? await Task.sleep(for: min(wait, .milliseconds(Int64(max(0, deadline.timeIntervalSinceNow) * 1000))))
                if self.isStopping { return .interrupted }
            }
        }
    }

    private func timedOut(_ action: any Action, context: ActionContext, after timeout: Duration) async -> Execution {
        var context = context
        // The handles the interrupted attempts recorded (a Jenkins build URL) name what to stop.
        if let stored = try? await self.store.cycle(id: context.cycle.id) { context.cycle.handles = stored.handles }
        if let result = await action.cleanUpAfterTimeout(context) { return .completed(result) }
        return .failed(outcome: "timeout", message: "state timed out after \(DurationText.format(timeout))")
    }

    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as TrainerError: error.isTransient
        case let error as RegistryError: error.isTransient
        case let error as DataSourceError: error.isTransient
        case let error as PrometheusQueryClient.QueryError: error.isTransient
        default: false
        }
    }
}
