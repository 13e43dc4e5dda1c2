import Synchronization

/// Where the built-in trainer listens, known once its listener is bound (port 0 picks a free port). The controller
/// is built before that, so its trainer asks here on each call and waits, cancellably, until the address is known.
package final class BuiltinTrainerEndpoint: Sendable {
    private struct State {
        var url: String?
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<String, any Error>] = [:]
    }

    private let state: Mutex<State>

    /// An endpoint already known (a trainer started elsewhere), or one to be bound later.
    package init(url: String? = nil) {
        self.state = Mutex(State(url: url))
    }

    /// Records the bound port and wakes every caller waiting for it.
    package func bound(port: Int) {
        let url = "http://127.0.0.1:\(port)"
        let waiters = self.state.withLock { state in
            state.url = url
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: url) }
    }

    /// The address if known by now.
    package var knownURL: String? { self.state.withLock { $0.url } }

    /// The address, once the trainer is bound. Throws `CancellationError` when the caller is cancelled first.
    package func url() async throws -> String {
        if let url = self.knownURL { return url }
        let id = self.state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
                let known = self.state.withLock { state -> String? in
                    if let url = state.url { return url }
                    state.waiters[id] = continuation
                    return nil
                }
                if let known { continuation.resume(returning: known) }
            }
        } onCancel: {
            self.state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }
}
