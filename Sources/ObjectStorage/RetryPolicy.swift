/// Retries operations whose failure is transient (`ObjectStorageError.isTransient`), with exponential backoff.
struct RetryPolicy: Sendable {
    /// Tries in all, the first included; 1 means no retry.
    let maxAttempts: Int
    /// Wait before the second try; doubled before each further one.
    let firstDelay: Duration

    init(maxAttempts: Int, firstDelay: Duration = .milliseconds(100)) {
        self.maxAttempts = max(1, maxAttempts)
        self.firstDelay = firstDelay
    }

    func run<Result: Sendable>(_ operation: () async throws -> Result) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch let error as ObjectStorageError where error.isTransient && attempt < self.maxAttempts {
                // Task.sleep throws CancellationError, so a cancelled caller stops waiting at once.
                try await Task.sleep(for: self.firstDelay * (1 << (attempt - 1)))
                attempt += 1
            }
        }
    }
}
