import Foundation
import Logging

/// Holds this replica's pipeline leases: renews them, takes free or expired ones, and answers whether this replica
/// may run a pipeline's cycles now.
///
/// A lease counts as held only until a safety margin before it expires, measured from when its renewal was sent, so a
/// replica that cannot renew (store unreachable, process stalled) stops acting before another one may take over.
package actor LeaseKeeper {
    package nonisolated let owner: String
    private let store: any LeaseStore
    private let pipelines: [String]
    private let ttl: Duration
    private let logger: Logger
    private let clock: any ControllerClock
    private var held: Set<String> = []
    private var validUntil: ContinuousClock.Instant

    package init(owner: String, store: any LeaseStore, pipelines: [String], ttl: Duration, logger: Logger, clock: any ControllerClock = SystemClock())
    {
        self.owner = owner
        self.clock = clock
        self.validUntil = clock.monotonicNow()
        self.store = store
        self.pipelines = pipelines
        self.ttl = ttl
        var logger = logger
        logger[metadataKey: "replica"] = "\(owner)"
        self.logger = logger
    }

    package func owns(_ pipeline: String) -> Bool {
        self.clock.monotonicNow() < self.validUntil && self.held.contains(pipeline)
    }

    package var ownedPipelines: Set<String> {
        self.clock.monotonicNow() < self.validUntil ? self.held : []
    }

    /// Renews and claims. Returns the pipelines gained since the last renewal.
    @discardableResult
    package func renew() async -> Set<String> {
        let sent = self.clock.monotonicNow()
        do {
            let now = try await self.store.claimLeases(owner: self.owner, pipelines: self.pipelines, ttl: self.ttl)
            let before = self.ownedPipelines
            self.held = now
            self.validUntil = sent + self.ttl * 0.8
            let gained = now.subtracting(before)
            let lost = before.subtracting(now)
            if !gained.isEmpty { self.logger.notice("took pipeline leases", metadata: ["pipelines": "\(gained.sorted())"]) }
            if !lost.isEmpty { self.logger.warning("lost pipeline leases to another replica", metadata: ["pipelines": "\(lost.sorted())"]) }
            return gained
        } catch {
            self.logger.error(
                "cannot renew pipeline leases; this replica stops running cycles when they lapse", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// Gives the leases up (graceful stop), so other replicas take the pipelines without waiting for expiry.
    package func release() async {
        let held = Array(self.held)
        self.held = []
        self.validUntil = self.clock.monotonicNow()
        do {
            try await self.store.releaseLeases(owner: self.owner, pipelines: held)
        } catch {
            self.logger.warning("cannot release pipeline leases; they expire by themselves", metadata: ["error": "\(error)"])
        }
    }
}
