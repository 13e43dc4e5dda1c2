/// How a cycle ended, as declared on its terminal state.
public enum CycleOutcome: String, Sendable, Codable, CaseIterable {
    case promoted
    case rejected
    case noDrift = "no_drift"
    case failed
    case cancelled
    case rolledBack = "rolled_back"
}
