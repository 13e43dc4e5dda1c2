import DriftLoop
import ServiceLifecycle

/// Delivers cycle notifications until graceful shutdown. Listed first, so it stops last: the notifications of
/// transitions committed while the controller stops are still sent.
struct NotificationService: Service {
    let notifier: CycleNotifier

    func run() async throws {
        await withGracefulShutdownHandler {
            await self.notifier.run()
        } onGracefulShutdown: {
            self.notifier.finish()
        }
    }
}
