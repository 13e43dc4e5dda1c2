import Foundation

/// The challenger version a cycle registered and rejected, and why.
public struct RejectionDecision: CycleDecision, Equatable {
    public static let key = DecisionKey.rejection

    public var version: String
    public var reason: String

    public init(version: String, reason: String) {
        self.version = version
        self.reason = reason
    }
}
