/// How a cycle ended, as declared on its terminal state.
package enum CycleOutcome: String, Sendable, Codable, CaseIterable {
    case promoted
    case rejected
    case noDrift = "no_drift"
    case failed
    case cancelled
    case rolledBack = "rolled_back"

    /// The cycle did its job, whatever it decided: the CLI's `retrain --wait` and `demo` exit 0 on these, 1 otherwise.
    package var isDecision: Bool {
        switch self {
        case .promoted, .rejected, .noDrift: true
        case .failed, .cancelled, .rolledBack: false
        }
    }
}
