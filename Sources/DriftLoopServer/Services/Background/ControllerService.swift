import DriftLoop
import ServiceLifecycle

/// The controller's lifetime as a service: it runs until graceful shutdown, then stops the controller, which waits
/// for running actions to reach a commit. Listed before the API, so the API drains first.
struct ControllerService: Service {
    let controller: Controller

    func run() async throws {
        try? await gracefulShutdown()
        await self.controller.stop()
    }
}
