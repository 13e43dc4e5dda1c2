import DriftLoop
import ServiceLifecycle

/// With replicas, renews this replica's leases and takes over the cycles of a replica that stopped renewing, until
/// graceful shutdown. Returns at once when the store has no leases.
struct ReplicationService: Service {
    let controller: Controller
    let poll: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.controller.runReplication(poll: self.poll) }
    }
}
