import DriftLoop
import ServiceLifecycle

/// Runs each pipeline's concept-drift and decay monitor over feedback as it is stored, until graceful shutdown.
struct FeedbackMonitorService: Service {
    let controller: Controller

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.controller.runFeedbackMonitors() }
        // A service that ends stops the whole application, so one with nothing to do waits for shutdown.
        try? await gracefulShutdown()
    }
}
