/// What the validator needs to know about an action without running it; made from the action's declaration.
public struct ActionDescriptor: Sendable {
    package var kind: ActionKind
    /// Outcomes the action can return; each must be mapped by a state that runs it.
    public var outcomes: [String]
    /// Outcomes a state may map but need not; unmapped, the action returns a required one instead.
    package var optionalOutcomes: [String]
    /// A waiting action polls something outside until it finishes, so its state needs a timeout.
    package var isWaiting: Bool
    package var summary: String

    package var name: String { self.kind.rawValue }
}

/// The actions a pipeline may name, as their declarations describe them.
package enum ActionCatalog {
    package static let descriptors: [ActionKind: ActionDescriptor] = Dictionary(
        uniqueKeysWithValues: ActionKind.allCases.map { ($0, $0.declaration.descriptor) })

    /// The names of the universal outcomes, which any state may map.
    package static let universalOutcomes = UniversalOutcome.allCases.map(\.rawValue)
}
