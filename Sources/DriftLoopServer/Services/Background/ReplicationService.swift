import DriftLoop
import ServiceLifecycle

/// With replicas, renews this replica's leases and takes over the cycles of a replica that stopped renewing, until
/// graceful shutdown. Without leases it has nothing to do.
struct ReplicationService: Service {
    let controller: Controller
    let poll: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.controller.runReplication(poll: self.poll) }
        // A service that ends stops the whole application, so one with nothing to do waits for shutdown.
        try? await gracefulShutdown()
    }
}
