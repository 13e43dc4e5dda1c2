import Foundation

/// Where the controller reads the time and waits: cooldowns, state timeouts and deadlines, retries' backoff,
/// schedules, lease renewal, the observe window, retention and polling all go through it. Production uses the system
/// clock; tests drive a clock by hand instead of sleeping.
public protocol ControllerClock: Sendable {
    func now() -> Date
    /// Returns after `duration` of this clock's time; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's wall clock and `Task.sleep`.
public struct SystemClock: ControllerClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
