import DriftLoop
import Synchronization

/// A token bucket per API token: `burst` requests at once, refilled at `perSecond`. One leaked or runaway token
/// can then fill the store only as fast as the operator allowed.
final class TokenRateLimiter: Sendable {
    let settings: RateLimitSettings
    private let origin: ContinuousClock.Instant
    private struct Bucket {
        var tokens: Double
        var updated: Duration
    }
    private let buckets = Mutex<[String: Bucket]>([:])

    init(settings: RateLimitSettings) {
        self.settings = settings
        self.origin = ContinuousClock.now
    }

    /// Takes one request from `name`'s bucket; nil when allowed, else how long until the next would be. `now` (time
    /// since the limiter was made) is for tests.
    func take(_ name: String, now: Duration? = nil) -> Duration? {
        let elapsed = now ?? (ContinuousClock.now - self.origin)
        let rate = self.settings.perSecond
        let capacity = Double(self.settings.burst)
        return self.buckets.withLock { buckets in
            var bucket = buckets[name] ?? Bucket(tokens: capacity, updated: elapsed)
            let seconds = Double((elapsed - bucket.updated).components.seconds) + Double((elapsed - bucket.updated).components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * rate)
            bucket.updated = elapsed
            defer { buckets[name] = bucket }
            guard bucket.tokens >= 1 else { return .seconds((1 - bucket.tokens) / rate) }
            bucket.tokens -= 1
            return nil
        }
    }
}
