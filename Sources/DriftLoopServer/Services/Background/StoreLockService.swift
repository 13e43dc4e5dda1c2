import DriftLoop
import ServiceLifecycle

/// Holds the SQLite store's controller lock while the server runs. It is the first service, so graceful shutdown
/// stops it last: the lock is let go only after every other service has written its last transition.
struct StoreLockService: Service {
    let lock: SQLiteControllerLock

    func run() async throws {
        try? await gracefulShutdown()
        self.lock.release()
    }
}
