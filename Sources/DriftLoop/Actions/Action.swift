import Foundation
import Logging

/// What an action ended with: a declared outcome, the details for the transition log, and decisions for the cycle record.
public struct ActionResult: Sendable {
    package var outcome: String
    package var details: JSONValue
    package var decisions: [String: JSONValue]

    public init(outcome: String, details: JSONValue = .null, decisions: [String: JSONValue] = [:]) {
        self.outcome = outcome
        self.details = details
        self.decisions = decisions
    }
}

/// A state's work. Actions must be idempotent: after a restart the same state runs again, and it must
/// find its recorded handles (job id, registered version) instead of doing the outside work twice.
public protocol Action: Sendable {
    func run(_ context: ActionContext) async throws -> ActionResult
    /// Called once the state's timeout has ended `run` (or had passed before a restart could run it again), to
    /// stop outside work the cycle is giving up on. Returns the `timeout` result to record, or nil for the default.
    func cleanUpAfterTimeout(_ context: ActionContext) async -> ActionResult?
}

extension Action {
    public func cleanUpAfterTimeout(_ context: ActionContext) async -> ActionResult? { nil }
}

/// The outside parts a pipeline's actions use.
public struct PipelineServices: Sendable {
    package var trainer: any Trainer
    package var registry: any ModelRegistry
    package var dataLoader: DataLoader
    /// The controller's API as others reach it (`http://host:port`), for links a trainer can follow back.
    package var publicURL: String?
    /// Where a trainer's `file://` models may come from; nil accepts any (tests with doubles).
    package var modelRoots: ModelRoots?

    public init(trainer: any Trainer, registry: any ModelRegistry, dataLoader: DataLoader, publicURL: String? = nil, modelRoots: ModelRoots? = nil) {
        self.trainer = trainer
        self.registry = registry
        self.dataLoader = dataLoader
        self.publicURL = publicURL
        self.modelRoots = modelRoots
    }
}

/// Everything an action may look at or record while it runs.
public struct ActionContext: Sendable {
    package var cycle: CycleRecord
    package var pipeline: PipelineDefinition
    package var state: StateDefinition
    package var services: PipelineServices
    package var store: any CycleStore
    package var logger: Logger
    /// The time, and waiting between polls.
    package var clock: any ControllerClock = SystemClock()

    /// Persists an external handle before the action relies on it, and keeps it in `cycle.handles`.
    package mutating func recordHandle(_ key: String, _ value: String) async throws {
        try await self.store.recordHandle(cycleId: self.cycle.id, key: key, value: value)
        self.cycle.handles[key] = value
    }

    /// The cycle's training handles, recording new ones through the store as they are learned.
    package func trainingHandles() -> TrainingHandles {
        let store = self.store, cycleId = self.cycle.id
        return TrainingHandles(recorded: self.cycle.handles) { key, value in try await store.recordHandle(cycleId: cycleId, key: key, value: value) }
    }

    /// A decision recorded by an earlier state of this cycle, which this state needs.
    package func decision<D: CycleDecision>(_ type: D.Type) throws -> D {
        guard let value = self.cycle.decisions[D.key.rawValue] else {
            throw ActionFailure(
                "state `\(self.state.name)` needs the `\(D.key.rawValue)` decision of an earlier state; check the pipeline's order of states")
        }
        return try value.decoded(as: type)
    }
}

/// A failure that retrying will not fix; the message says what to do.
package struct ActionFailure: Error, Sendable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { self.message }
}
