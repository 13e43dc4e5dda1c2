/// Outcomes an action can end with: a string-backed enum per action, whose raw values are the names pipelines map.
public protocol ActionOutcome: RawRepresentable, CaseIterable, Hashable, Sendable, Codable where RawValue == String {}

/// Outcomes any action can end with: an error that retries did not cure, and the state's timeout. A state may map
/// them; unmapped, they lead to the pipeline's `failed` terminal state.
package enum UniversalOutcome: String, ActionOutcome {
    case error
    case timeout
}

/// One action, declared in one place: the kind pipelines name it by, the outcomes it returns, whether it waits on
/// something outside (its state then needs a timeout), what it does, and how it is made. The catalog, the pipeline
/// validator and the controller all read this declaration.
public protocol ActionDeclaration: Action {
    associatedtype Outcome: ActionOutcome
    static var kind: ActionKind { get }
    /// Outcomes a state may map but need not (unmapped, the action returns a required one instead).
    static var optionalOutcomes: Set<Outcome> { get }
    /// A waiting action polls something outside until it finishes, so its state needs a timeout.
    static var isWaiting: Bool { get }
    static var summary: String { get }
    init()
}

extension ActionDeclaration {
    package static var optionalOutcomes: Set<Outcome> { [] }

    /// What the validator needs to know without running it.
    public static var descriptor: ActionDescriptor {
        ActionDescriptor(
            kind: Self.kind, outcomes: Outcome.allCases.filter { !Self.optionalOutcomes.contains($0) }.map(\.rawValue),
            optionalOutcomes: Outcome.allCases.filter { Self.optionalOutcomes.contains($0) }.map(\.rawValue), isWaiting: Self.isWaiting,
            summary: Self.summary)
    }
}

extension ActionResult {
    /// A result with one of the action's own outcomes.
    package init(_ outcome: some ActionOutcome, details: JSONValue = .null, decisions: [String: JSONValue] = [:]) {
        self.init(outcome: outcome.rawValue, details: details, decisions: decisions)
    }

    /// A result with one of the action's own outcomes, recording `decision` in the cycle.
    package init(_ outcome: some ActionOutcome, details: JSONValue = .null, decision: some CycleDecision) throws {
        self.init(outcome: outcome.rawValue, details: details, decisions: try .recording(decision))
    }
}
