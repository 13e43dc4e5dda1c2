import Foundation

/// The challenger version a cycle registered and rejected, and why.
package struct RejectionDecision: CycleDecision, Equatable {
    package static let key = DecisionKey.rejection

    package var version: String
    package var reason: String

    package init(version: String, reason: String) {
        self.version = version
        self.reason = reason
    }
}
