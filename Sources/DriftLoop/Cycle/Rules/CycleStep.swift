import Foundation

/// Where a state's result leads: the pure rule the controller applies after each action, before it commits.
///
/// Given what happened in a state (the action's outcome, a failure that retries did not cure, a timeout, a cancel
/// request, a state the pipeline no longer declares), `CycleStep` names the transition to commit: the target state,
/// whether it ends the cycle and how, and the failure to record. It also decides, for a failed attempt, whether to
/// retry and after how long. No I/O: the controller runs the action, asks, then commits.
package struct CycleStep: Sendable {
    package let pipeline: PipelineDefinition

    package init(pipeline: PipelineDefinition) {
        self.pipeline = pipeline
    }

    /// What happened in a state.
    package enum Fact: Sendable {
        /// Someone asked for the cycle to be cancelled.
        case cancelRequested
        /// The cycle's state is not an action state of the pipeline (the pipeline file changed under a running cycle).
        case unknownState
        /// The action returned (possibly `timeout` from its own clean-up after the state's time ran out).
        case completed(ActionResult)
        /// The action failed for good: `error` when retries did not cure it, `timeout` when the state's time ran out.
        case failed(UniversalOutcome, message: String)
    }

    /// The transition to commit for cycle `cycleId`, in `state`, after `fact`.
    package func transition(cycleId: String, from state: String, after fact: Fact) -> TransitionCommit {
        switch fact {
        case .cancelRequested:
            return TransitionCommit(
                cycleId: cycleId, from: state, to: self.pipeline.terminalState(for: .cancelled) ?? CycleOutcome.cancelled.rawValue,
                outcome: CycleOutcome.cancelled.rawValue,
                details: .null, decisions: [:], finishing: .cancelled, failure: nil)
        case .unknownState:
            return TransitionCommit(
                cycleId: cycleId, from: state, to: self.pipeline.terminalState(for: .failed) ?? CycleOutcome.failed.rawValue,
                outcome: UniversalOutcome.error.rawValue,
                details: .null, decisions: [:], finishing: .failed,
                failure: "state `\(state)` is not an action state of pipeline \(self.pipeline.name) (was the pipeline file changed?)")
        case .completed(let result):
            // An action that ended its own state early (a wait that stopped its job before the timeout) still failed.
            let failure = UniversalOutcome(rawValue: result.outcome) != nil ? Self.reason(state, result) : nil
            return self.following(cycleId, state, result: result, failure: failure)
        case .failed(let outcome, let message):
            let result = ActionResult(outcome: outcome.rawValue, details: ["error": .string(message)])
            return self.following(cycleId, state, result: result, failure: "\(state): \(message)")
        }
    }

    /// Where `result` leads from `state`: the mapped target, or the pipeline's `failed` terminal for an unmapped outcome.
    private func following(_ cycleId: String, _ state: String, result: ActionResult, failure: String?) -> TransitionCommit {
        let target =
            self.pipeline.states[state]?.transitions[result.outcome]?.target
            ?? self.pipeline.terminalState(for: .failed) ?? CycleOutcome.failed.rawValue
        let finishing = self.pipeline.states[target]?.terminal
        // A declared path to failure (a training job that failed) still says why on the cycle itself.
        let reason = failure ?? (finishing == .failed ? Self.reason(state, result) : nil)
        return TransitionCommit(
            cycleId: cycleId, from: state, to: target, outcome: result.outcome, details: result.details, decisions: result.decisions,
            finishing: finishing, failure: reason)
    }

    private static func reason(_ state: String, _ result: ActionResult) -> String {
        "\(state): \(result.details["error"]?.stringValue ?? result.outcome)"
    }

    // MARK: Failed attempts

    /// What to do after an attempt of a state's action threw.
    package enum AfterFailure: Sendable, Equatable {
        /// Try again after this wait.
        case retry(after: Duration)
        /// Give up: the state ends with `error`.
        case giveUp
    }

    /// A transient error is retried while the state's retry budget lasts; a permanent one, or the last attempt, gives
    /// up. The wait (backoff scaled by `jitter`, which the caller draws) never runs past the state's deadline.
    package static func afterFailure(transient: Bool, attempt: Int, retry: RetryPolicy, remaining: Duration, jitter: Double) -> AfterFailure {
        guard transient, attempt < retry.attempts else { return .giveUp }
        return .retry(after: max(.zero, min(retry.backoff(beforeRetry: attempt, jitter: jitter), remaining)))
    }

    /// When a state's time runs out: its timeout (10 minutes when it declares none) from when the cycle entered it,
    /// so a restart does not extend it.
    package static func deadline(enteredAt: Date, timeout: Duration?) -> Date {
        enteredAt.addingTimeInterval((timeout ?? Self.defaultTimeout).seconds)
    }

    /// The timeout of a state that declares none (only non-waiting actions may omit it).
    package static let defaultTimeout: Duration = .seconds(600)
}
