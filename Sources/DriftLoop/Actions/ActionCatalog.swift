/// What the validator needs to know about an action without running it; made from the action's declaration.
public struct ActionDescriptor: Sendable {
    public var kind: ActionKind
    /// Outcomes the action can return; each must be mapped by a state that runs it.
    public var outcomes: [String]
    /// Outcomes a state may map but need not; unmapped, the action returns a required one instead.
    public var optionalOutcomes: [String]
    /// A waiting action polls something outside until it finishes, so its state needs a timeout.
    public var isWaiting: Bool
    public var summary: String

    public var name: String { self.kind.rawValue }
}

/// The actions a pipeline may name, as their declarations describe them.
public enum ActionCatalog {
    public static let descriptors: [ActionKind: ActionDescriptor] = Dictionary(
        uniqueKeysWithValues: ActionKind.allCases.map { ($0, $0.declaration.descriptor) })

    /// The names of the universal outcomes, which any state may map.
    public static let universalOutcomes = UniversalOutcome.allCases.map(\.rawValue)
}
