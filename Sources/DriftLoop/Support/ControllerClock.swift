import Foundation

/// Where the controller reads the time and waits: cooldowns, state timeouts and deadlines, retries' backoff,
/// schedules, lease validity and renewal, the observe window, retention and polling all go through it. Production uses
/// the system clock; tests drive a clock by hand instead of sleeping.
package protocol ControllerClock: Sendable {
    /// Wall time: what records carry and what schedules and cooldowns compare.
    func now() -> Date
    /// Time that never jumps (NTP steps, a changed system clock): what lease validity is measured in, so a clock set
    /// back can never make an expired lease look held.
    func monotonicNow() -> ContinuousClock.Instant
    /// Returns after `duration` of this clock's time; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's wall clock, its monotonic clock and `Task.sleep`.
package struct SystemClock: ControllerClock {
    package init() {}

    package func now() -> Date { Date() }

    package func monotonicNow() -> ContinuousClock.Instant { .now }

    package func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
