import DriftData
import Foundation
import Logging

/// Runs one pipeline's cycles through its declared state machine, one cycle at a time.
///
/// Every transition is committed to the store before the next action starts, so a controller started
/// later on the same store resumes each unfinished cycle in the state it was left in.
package actor PipelineController {
    package nonisolated let pipeline: PipelineDefinition
    private let services: PipelineServices
    private let store: any CycleStore
    private let logger: Logger
    private let observer: TransitionObserver?
    private let triggerObserver: TriggerObserver?
    private let slots: CycleSlots
    private let gate: PipelineGate
    private let clock: any ControllerClock
    /// When a queued cycle got its slot: its first state's timeout runs from then, not from the trigger.
    private var slotGrantedAt: [String: Date] = [:]
    private let makeAction: @Sendable (ActionKind) -> any Action
    private var cycleTasks: [String: Task<Void, Never>] = [:]
    private var actionTasks: [String: Task<ActionResult, any Error>] = [:]
    private var isStopping = false
    /// Cancel requests seen by this controller, so one that lands between two steps still interrupts the next action.
    private var cancelledCycleIds: Set<String> = []

    /// Called after each committed transition (tests use it to stop the controller at a chosen point; the server
    /// counts metrics with it). A new cycle is reported as a transition from `""` to its initial state, outcome `started`.
    package typealias TransitionObserver = @Sendable (_ cycleId: String, _ from: String, _ to: String, _ outcome: String) async -> Void
    /// Called for every trigger the store accepted, whatever it decided.
    package typealias TriggerObserver = @Sendable (_ pipeline: String, _ trigger: Trigger, _ acceptance: TriggerAcceptance) async -> Void

    /// - Parameter makeAction: builds the action a state names; the standard actions unless a benchmark or test says otherwise.
    package init(
        pipeline: PipelineDefinition, services: PipelineServices, store: any CycleStore, logger: Logger, observer: TransitionObserver? = nil,
        triggerObserver: TriggerObserver? = nil, slots: CycleSlots = CycleSlots(limit: nil), gate: PipelineGate = PipelineGate(),
        clock: any ControllerClock = SystemClock(), makeAction: @escaping @Sendable (ActionKind) -> any Action = { $0.make() }
    ) {
        self.gate = gate
        self.clock = clock
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
    package func submit(_ trigger: Trigger) async throws -> TriggerAcceptance {
        let acceptance = try await self.store.acceptTrigger(
            pipeline: self.pipeline.name, trigger: trigger, initialState: self.pipeline.initialState, cooldown: self.pipeline.cooldown,
            now: self.clock.now())
        await self.accepted(trigger, acceptance)
        return acceptance
    }

    /// Several triggers stored in one transaction (all or none), then each handled as `submit` would.
    package func submit(_ triggers: [Trigger]) async throws -> [TriggerAcceptance] {
        let acceptances = try await self.store.acceptTriggers(
            pipeline: self.pipeline.name, triggers: triggers, initialState: self.pipeline.initialState, cooldown: self.pipeline.cooldown,
            now: self.clock.now())
        for (trigger, acceptance) in zip(triggers, acceptances) { await self.accepted(trigger, acceptance) }
        return acceptances
    }

    private func accepted(_ trigger: Trigger, _ acceptance: TriggerAcceptance) async {
        self.logger.info(
            "trigger accepted",
            metadata: ["cycle": "\(acceptance.cycleId)", "trigger": "\(trigger.kind.rawValue)", "disposition": "\(acceptance.disposition.rawValue)"])
        await self.triggerObserver?(self.pipeline.name, trigger, acceptance)
        if acceptance.disposition == .started {
            await self.observer?(acceptance.cycleId, "", self.pipeline.initialState, NewCycle.startedOutcome)
            if await self.gate.mayRun(self.pipeline.name) {
                await self.slots.enqueue(acceptance.cycleId)
                self.launch(acceptance.cycleId)
            }
        }
    }

    /// Continues a cycle left unfinished by an earlier controller.
    package func resume(cycleId: String) {
        guard self.cycleTasks[cycleId] == nil, !self.isStopping else { return }
        self.logger.info("resuming cycle", metadata: ["cycle": "\(cycleId)"])
        self.launch(cycleId)
    }

    /// Asks a running cycle to end as cancelled; the request is stored, so it holds across a restart.
    package func cancel(cycleId: String) async throws -> Bool {
        guard try await self.store.requestCancel(cycleId: cycleId) else { return false }
        self.cancelledCycleIds.insert(cycleId)
        self.actionTasks[cycleId]?.cancel()
        if self.cycleTasks[cycleId] == nil, !self.isStopping { self.launch(cycleId) }
        return true
    }

    /// Stops taking steps without waiting: the current action is interrupted and its state will run again
    /// on the next start. Safe to call from a transition observer.
    package func requestStop() async {
        self.isStopping = true
        for task in self.actionTasks.values { task.cancel() }
        // Cycles still queued for a slot stop waiting (and stay in their state for the next start).
        for cycleId in self.cycleTasks.keys { await self.slots.stopWaiting(cycleId) }
    }

    /// Stops and waits until every cycle task has returned.
    package func stop() async {
        await self.requestStop()
        for task in self.cycleTasks.values { await task.value }
    }

    /// Waits for a cycle this controller runs to stop (finished, or stopped by `stop`).
    package func waitForCycle(_ cycleId: String) async {
        await self.cycleTasks[cycleId]?.value
    }

    /// Starts the cycle's task. The actor owns it: `stop` and `waitForCycle` await it, and it removes itself when done.
    private func launch(_ cycleId: String) {
        guard self.cycleTasks[cycleId] == nil, !self.isStopping else { return }
        self.cycleTasks[cycleId] = Task { await self.drive(cycleId) }
    }

    /// Runs the cycle in its slot (with `max_concurrent_cycles`, after it waited for one), then gives the slot back.
    private func drive(_ cycleId: String) async {
        var logger = self.logger
        logger[metadataKey: "cycle"] = "\(cycleId)"
        let asked = self.clock.now()
        await self.slots.acquire(cycleId)
        let granted = self.clock.now()
        if granted.timeIntervalSince(asked) > 0.001 { self.slotGrantedAt[cycleId] = granted }
        await self.steps(cycleId, logger: logger)
        self.slotGrantedAt[cycleId] = nil
        await self.slots.release(cycleId)
        self.cycleTasks[cycleId] = nil
    }

    /// Takes the cycle's steps until it finishes, must wait, or the controller stops.
    private func steps(_ cycleId: String, logger: Logger) async {
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
                try? await self.clock.sleep(for: .seconds(5))
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
        let rules = CycleStep(pipeline: self.pipeline)
        if cancelling {
            return try await self.commit(rules.transition(cycleId: cycleId, from: cycle.state, after: .cancelRequested), logger: logger)
        }
        guard let state = self.pipeline.states[cycle.state], let kind = state.action else {
            return try await self.commit(rules.transition(cycleId: cycleId, from: cycle.state, after: .unknownState), logger: logger)
        }
        let action = self.makeAction(kind)
        let lastTransition = try await self.store.transitions(cycleId: cycleId).last?.at ?? cycle.updatedAt
        let enteredAt = max(lastTransition, self.slotGrantedAt[cycleId] ?? .distantPast)
        let context = ActionContext(
            cycle: cycle, pipeline: self.pipeline, state: state, services: self.services, store: self.store, logger: logger, clock: self.clock)
        switch await self.execute(action, context: context, enteredAt: enteredAt, logger: logger) {
        case .interrupted:
            // Stopping, or a cancel request: the loop checks which and either pauses or ends the cycle.
            return !self.isStopping
        case .completed(let result):
            return try await self.commit(rules.transition(cycleId: cycleId, from: state.name, after: .completed(result)), logger: logger)
        case .failed(let outcome, let message):
            return try await self.commit(
                rules.transition(cycleId: cycleId, from: state.name, after: .failed(outcome, message: message)), logger: logger)
        }
    }

    /// Commits the transition `CycleStep` decided, then tells the observer. Returns whether the cycle goes on.
    private func commit(_ transition: TransitionCommit, logger: Logger) async throws -> Bool {
        try await self.store.commit(transition, at: self.clock.now())
        if let finishing = transition.finishing {
            logger.info(
                "cycle ended", metadata: ["to": "\(transition.to)", "outcome": "\(transition.outcome)", "cycle_outcome": "\(finishing.rawValue)"])
        } else {
            logger.info("transition", metadata: ["to": "\(transition.to)", "outcome": "\(transition.outcome)"])
        }
        await self.observer?(transition.cycleId, transition.from, transition.to, transition.outcome)
        return transition.finishing == nil
    }

    enum Execution {
        case completed(ActionResult)
        /// A universal outcome (`error` or `timeout`) with the reason.
        case failed(outcome: UniversalOutcome, message: String)
        case interrupted
    }

    /// Runs the action with the state's retry policy, all within the state's timeout, measured from when
    /// the cycle entered the state (a restart does not extend it).
    private func execute(_ action: any Action, context: ActionContext, enteredAt: Date, logger: Logger) async -> Execution {
        let state = context.state
        let timeout = state.timeout ?? CycleStep.defaultTimeout
        let deadline = CycleStep.deadline(enteredAt: enteredAt, timeout: state.timeout)
        var attempt = 1
        var context = context
        while true {
            let remaining = deadline.timeIntervalSince(self.clock.now())
            if remaining <= 0 {
                return await self.timedOut(action, context: context, after: timeout)
            }
            if attempt > 1, let stored = try? await self.store.cycle(id: context.cycle.id) {
                // A failed attempt may have recorded handles (a Jenkins trigger marker) that the retry must see.
                context.cycle.handles = stored.handles
            }
            let clock = self.clock
            let task = Task { [context] in
                try await Deadline.run(within: .milliseconds(Int64((remaining * 1000).rounded(.up))), clock: clock) { try await action.run(context) }
            }
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
                let remainingNow = Duration.milliseconds(Int64(max(0, deadline.timeIntervalSince(self.clock.now())) * 1000))
                let jitter = Double.random(in: 0.8...1.0)
                switch CycleStep.afterFailure(
                    transient: Self.isTransient(error), attempt: attempt, retry: state.retry, remaining: remainingNow, jitter: jitter)
                {
                case .giveUp:
                    logger.warning("action failed", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                    return .failed(outcome: .error, message: "\(error)")
                case .retry(let wait):
                    logger.notice(
                        "action failed, retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)", "backoff_ms": "\(wait.milliseconds)"])
                    attempt += 1
                    if self.isStopping { return .interrupted }
                    try? await self.clock.sleep(for: wait)
                    if self.isStopping { return .interrupted }
                }
            }
        }
    }

    private func timedOut(_ action: any Action, context: ActionContext, after timeout: Duration) async -> Execution {
        var context = context
        // The handles the interrupted attempts recorded (a Jenkins build URL) name what to stop.
        if let stored = try? await self.store.cycle(id: context.cycle.id) { context.cycle.handles = stored.handles }
        if let result = await action.cleanUpAfterTimeout(context) { return .completed(result) }
        return .failed(outcome: .timeout, message: "state timed out after \(DurationText.format(timeout))")
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
