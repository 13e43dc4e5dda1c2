import Foundation

/// Store failures a caller can act on.
package enum StoreError: Error, Sendable, CustomStringConvertible {
    case unknownCycle(String)
    case staleTransition(cycleId: String, expected: String, actual: String, status: String)

    package var description: String {
        switch self {
        case .unknownCycle(let id): "no cycle with id \(id)"
        case .staleTransition(let id, let expected, let actual, let status):
            "cycle \(id) is \(status) in state \(actual), not in \(expected): another controller moved it; this one stops"
        }
    }
}
