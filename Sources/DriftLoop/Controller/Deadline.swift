/// The work did not finish within its time limit.
struct DeadlineExceeded: Error, Sendable {}

enum Deadline {
    /// Runs `work`, cancelling it and throwing `DeadlineExceeded` if it takes longer than `limit` on `clock` (the
    /// controller's, so a test moves a state past its timeout without waiting for it).
    static func run<T: Sendable>(
        within limit: Duration, clock: any ControllerClock, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await clock.sleep(for: limit)
                throw DeadlineExceeded()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }
}
