import DriftLoop
import ServiceLifecycle

/// Runs every pipeline's `schedule:` of drift checks until graceful shutdown.
struct ScheduleService: Service {
    let controller: Controller

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.controller.runSchedules() }
        // A service that ends stops the whole application, so one with nothing to do waits for shutdown.
        try? await gracefulShutdown()
    }
}
