import Synchronization

/// A fixed number of request bodies that may be read at once before their sender is authenticated. Without it,
/// hundreds of connections each sending most of a 1 MiB body, slowly, pinned hundreds of megabytes with no credentials.
final class BodyReadSlots: Sendable {
    let limit: Int
    private let inUse = Mutex(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; false when all are taken.
    func acquire() -> Bool {
        self.inUse.withLock { count in
            guard count < self.limit else { return false }
            count += 1
            return true
        }
    }

    func release() {
        self.inUse.withLock { $0 -= 1 }
    }

    var taken: Int { self.inUse.withLock { $0 } }
}
