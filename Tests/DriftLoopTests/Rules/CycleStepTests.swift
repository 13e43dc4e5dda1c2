import Foundation
import Testing

@testable import DriftLoop

/// Where each kind of result leads, for every state of the example pipeline: no store, no controller, no waiting.
@Suite struct CycleStepTests {
    static let pipeline: PipelineDefinition = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return try! PipelineLoader.load(path: url.deletingLastPathComponent().appendingPathComponent("pipelines/example.yaml").path)
    }()
    static let step = CycleStep(pipeline: Self.pipeline)

    @Test func everyDeclaredOutcomeOfEveryActionStateGoesWhereThePipelineMapsIt() throws {
        var checked = 0
        for name in Self.pipeline.stateOrder {
            let state = try #require(Self.pipeline.states[name])
            guard let kind = state.action else { continue }
            let descriptor = try #require(ActionCatalog.descriptors[kind])
            for outcome in descriptor.outcomes + descriptor.optionalOutcomes {
                let transition = Self.step.transition(
                    cycleId: "c1", from: name, after: .completed(ActionResult(outcome: outcome, details: ["k": "v"], decisions: ["d": 1])))
                let mapped = state.transitions[outcome]?.target
                #expect(transition.to == (mapped ?? "failed"), "\(name) --\(outcome)-->")
                #expect(transition.outcome == outcome)
                #expect(transition.details == ["k": "v"] && transition.decisions == ["d": 1], "details and decisions are committed as returned")
                #expect(transition.finishing == Self.pipeline.states[transition.to]?.terminal)
                #expect((transition.failure != nil) == (transition.finishing == .failed), "a cycle fails with a reason, and only then")
                checked += 1
            }
        }
        #expect(checked >= 12)
    }

    @Test func aDeclaredPathToFailureStillSaysWhy() {
        let transition = Self.step.transition(
            cycleId: "c1", from: "await_training", after: .completed(ActionResult(outcome: "failed", details: ["error": "job-7 ran out of memory"])))
        #expect(transition.to == "failed" && transition.finishing == .failed)
        #expect(transition.failure == "await_training: job-7 ran out of memory")
    }

    @Test func anUnmappedOutcomeEndsTheCycleFailed() {
        let transition = Self.step.transition(cycleId: "c1", from: "await_training", after: .completed(ActionResult(outcome: "unstable")))
        #expect(transition.to == "failed" && transition.finishing == .failed)
        #expect(transition.failure == "await_training: unstable")
    }

    @Test(arguments: UniversalOutcome.allCases)
    func anErrorOrATimeoutFailsTheCycleWithTheMessage(outcome: UniversalOutcome) {
        for name in Self.pipeline.stateOrder where Self.pipeline.states[name]?.action != nil {
            let transition = Self.step.transition(cycleId: "c1", from: name, after: .failed(outcome, message: "registry unreachable"))
            #expect(transition.to == "failed", "\(name)")
            #expect(transition.outcome == outcome.rawValue)
            #expect(transition.finishing == .failed)
            #expect(transition.failure == "\(name): registry unreachable")
            #expect(transition.details == ["error": "registry unreachable"])
        }
        // An action that ends its own state with a universal outcome (a wait that stopped its job) still failed.
        let own = Self.step.transition(
            cycleId: "c1", from: "await_training", after: .completed(ActionResult(outcome: outcome.rawValue, details: ["error": "stopped"])))
        #expect(own.failure == "await_training: stopped")
    }

    @Test func aCancelRequestEndsInTheCancelledTerminalFromAnyState() {
        for name in Self.pipeline.stateOrder where Self.pipeline.states[name]?.isTerminal == false {
            let transition = Self.step.transition(cycleId: "c1", from: name, after: .cancelRequested)
            #expect(transition.to == "cancelled" && transition.finishing == .cancelled && transition.outcome == "cancelled", "\(name)")
            #expect(transition.failure == nil)
        }
    }

    @Test func aStateThePipelineNoLongerDeclaresFailsTheCycleSayingSo() {
        let transition = Self.step.transition(cycleId: "c1", from: "vanished", after: .unknownState)
        #expect(transition.to == "failed" && transition.finishing == .failed && transition.outcome == "error")
        #expect(transition.failure?.contains("`vanished` is not an action state of pipeline example") == true)
    }

    @Test func aMappedUniversalOutcomeGoesWhereTheStateSays() throws {
        var pipeline = Self.pipeline
        pipeline.states["promote"]?.transitions["timeout"] = .init(target: "reject", location: SourceLocation(file: "x", line: 1, column: 1))
        let transition = CycleStep(pipeline: pipeline).transition(cycleId: "c1", from: "promote", after: .failed(.timeout, message: "slow registry"))
        #expect(transition.to == "reject" && transition.finishing == nil)
        #expect(transition.failure == "promote: slow registry", "the reason is kept though the cycle goes on")
    }

    @Test func retriesLastWhileTheBudgetAndTheStateAllow() {
        let retry = RetryPolicy(attempts: 3, initialBackoff: .seconds(1), maxBackoff: .seconds(3))
        func after(transient: Bool = true, _ attempt: Int, remaining: Duration = .seconds(60), jitter: Double = 1) -> CycleStep.AfterFailure {
            CycleStep.afterFailure(transient: transient, attempt: attempt, retry: retry, remaining: remaining, jitter: jitter)
        }
        #expect(after(1) == .retry(after: .seconds(1)))
        #expect(after(2) == .retry(after: .seconds(2)), "doubled")
        #expect(after(2, jitter: 0.8) == .retry(after: .milliseconds(1600)), "up to 20% less")
        #expect(after(3) == .giveUp, "the last attempt")
        #expect(after(transient: false, 1) == .giveUp, "a permanent error")
        #expect(after(1, remaining: .milliseconds(10)) == .retry(after: .milliseconds(10)), "the wait never passes the state's deadline")
        let long = RetryPolicy(attempts: 10, initialBackoff: .seconds(1), maxBackoff: .seconds(3))
        #expect(
            CycleStep.afterFailure(transient: true, attempt: 5, retry: long, remaining: .seconds(60), jitter: 1) == .retry(after: .seconds(3)),
            "capped")
    }

    @Test func aStatesDeadlineRunsFromWhenTheCycleEnteredIt() {
        let entered = Date(timeIntervalSince1970: 1_000)
        #expect(CycleStep.deadline(enteredAt: entered, timeout: .seconds(30)) == entered.addingTimeInterval(30))
        #expect(CycleStep.deadline(enteredAt: entered, timeout: nil) == entered.addingTimeInterval(600))
    }
}
