import Foundation

/// Runs a long CPU-bound check on a thread of its own. Swift Testing runs tests on the cooperative pool, which has
/// two threads on a 2-core machine; a check that held one for seconds starved the controller tests that run beside
/// it, whose states then timed out (a 12-second fuzz run and a parity sweep at once stalled every cycle).
package enum OffPool {
    package static func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    /// The same for a check that throws.
    package static func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Swift.Result { try work() }) }
        }
    }
}
