import DriftLoop
import Logging
import ServiceLifecycle

/// Prunes finished cycles past `retention:` and feedback past each pipeline's `feedback_retention`, every
/// `retention.interval` (hourly when only feedback retention is set), until graceful shutdown.
struct RetentionService: Service {
    let controller: Controller
    let retention: RetentionSettings?
    let logger: Logger

    func run() async throws {
        guard self.controller.hasRetention(self.retention) else {
            // A service that ends stops the whole application, so with nothing to prune it waits for shutdown.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await self.controller.applyRetention(self.retention)
                    if removed.cycles > 0 { self.logger.notice("retention removed finished cycles", metadata: ["count": "\(removed.cycles)"]) }
                    if removed.feedback > 0 { self.logger.notice("retention removed feedback records", metadata: ["count": "\(removed.feedback)"]) }
                } catch {
                    self.logger.error("retention could not prune the store; it tries again later", metadata: ["error": "\(error)"])
                }
                try? await self.controller.clock.sleep(for: self.retention?.interval ?? .seconds(3600))
            }
        }
    }
}
