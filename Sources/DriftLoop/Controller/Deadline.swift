/// The work did not finish within its time limit.
struct DeadlineExceeded: Error, Sendable {}

enum Deadline {
    /// Runs `work`, cancelling it and throwing `DeadlineExceeded` if it takes longer than `limit`.
    static func run<T: Sendable>(within limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw DeadlineExceeded()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }
}
