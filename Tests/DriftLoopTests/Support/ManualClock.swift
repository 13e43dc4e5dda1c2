import DriftLoop
import Foundation
import Synchronization

/// A controller clock that moves only when a test advances it. Sleepers wake, in deadline order, when an advance
/// reaches their deadline; `waitForSleepers` lets a test advance only once the code under test is waiting.
final class ManualClock: ControllerClock {
    private struct Sleeper {
        var id: UInt64
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var elapsed: Duration = .zero
        var nextId: UInt64 = 0
        var sleepers: [Sleeper] = []
    }

    private let start: Date
    private let monotonicStart = ContinuousClock.now
    private let state = Mutex(State())

    init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.start = start
    }

    var elapsed: Duration { self.state.withLock { $0.elapsed } }

    func now() -> Date {
        self.start.addingTimeInterval(self.elapsed.seconds)
    }

    func monotonicNow() -> ContinuousClock.Instant {
        self.monotonicStart.advanced(by: self.elapsed)
    }

    func sleep(for duration: Duration) async throws {
        let id = self.state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let ready = self.state.withLock { state -> Bool in
                    if duration <= .zero { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: state.elapsed + duration, continuation: continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let cancelled = self.state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    /// Moves the clock forward, waking every sleeper whose deadline it reaches.
    func advance(by duration: Duration) {
        let woken = self.state.withLock { state -> [Sleeper] in
            state.elapsed += duration
            let due = state.sleepers.filter { $0.deadline <= state.elapsed }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= state.elapsed }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    var sleeperCount: Int { self.state.withLock { $0.sleepers.count } }

    /// Waits (in real time, briefly) until at least `count` tasks sleep on this clock.
    func waitForSleepers(_ count: Int = 1, within limit: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + limit
        while self.sleeperCount < count {
            guard ContinuousClock.now < deadline else { throw ManualClockTimeout(expected: count, sleeping: self.sleeperCount) }
            await Task.yield()
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

struct ManualClockTimeout: Error, CustomStringConvertible {
    var expected: Int
    var sleeping: Int
    var description: String { "expected \(self.expected) sleeper(s) on the manual clock, found \(self.sleeping)" }
}
