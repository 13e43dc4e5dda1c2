import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One controller per SQLite store. A second controller on the same file (a `demo` beside a running `serve`) would
/// run the same cycles twice and race the first for every transition, so it is refused: the first holds an
/// exclusive `flock` on `<store>.controller.lock` for as long as it runs, and writes there who it is, for the
/// second's error. The kernel releases the lock when the process ends, however it ends, so a `kill -9` leaves
/// nothing to clean up. PostgreSQL stores take several replicas through leases instead.
package final class SQLiteControllerLock: Sendable {
    /// Who holds the lock, as written into the lock file.
    package struct Holder: Codable, Sendable, Equatable {
        package var pid: Int32
        package var command: String
        package var listen: String
        package var startedAt: Date

        package init(pid: Int32, command: String, listen: String, startedAt: Date) {
            self.pid = pid
            self.command = command
            self.listen = listen
            self.startedAt = startedAt
        }

        enum CodingKeys: String, CodingKey {
            case pid, command, listen
            case startedAt = "started_at"
        }

        /// This process, listening on `listen`.
        package static func current(listen: String) -> Holder {
            let arguments = CommandLine.arguments
            let name = arguments.first.map { ($0 as NSString).lastPathComponent } ?? "driftloop"
            return Holder(
                pid: getpid(), command: ([name] + arguments.dropFirst().prefix(3)).joined(separator: " "), listen: listen, startedAt: Date())
        }
    }

    private let descriptor: Int32

    /// Takes the lock beside the store at `storePath`, or throws naming the controller that holds it.
    package init(storePath: String, holder: Holder) throws {
        let path = storePath + ".controller.lock"
        let folder = (storePath as NSString).deletingLastPathComponent
        do {
            try PrivateDirectory.create(folder)
        } catch {
            throw StoreOpenError("cannot create the store's folder \(folder): \(error.localizedDescription)")
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreOpenError("cannot open the store's lock file \(path): \(String(cString: strerror(errno))); check the data_dir's permissions")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            let other = Self.readHolder(descriptor)
            close(descriptor)
            guard reason == EWOULDBLOCK else {
                throw StoreOpenError("cannot lock the store's lock file \(path): \(String(cString: strerror(reason)))")
            }
            throw StoreOpenError(Self.inUseMessage(storePath: storePath, other: other))
        }
        self.descriptor = descriptor
        self.record(holder)
    }

    /// Rewrites who holds the lock, e.g. with the port once it is bound.
    package func record(_ holder: Holder) {
        let record = (try? JSONEncoder.holderEncoder.encode(holder)) ?? Data()
        _ = ftruncate(self.descriptor, 0)
        _ = record.withUnsafeBytes { pwrite(self.descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// Lets the next controller in. Idempotent; also done when the lock is released from memory or the process ends.
    package func release() {
        // Truncating first: a reader that wins the lock right after finds no stale holder.
        _ = ftruncate(self.descriptor, 0)
        _ = flock(self.descriptor, LOCK_UN)
    }

    deinit { close(self.descriptor) }

    static func inUseMessage(storePath: String, other: Holder?) -> String {
        let who: String
        if let other {
            let since = ISO8601DateFormatter().string(from: other.startedAt)
            who = "another driftloop controller, pid \(other.pid) (`\(other.command)`, listening on \(other.listen), since \(since))"
        } else {
            who = "another driftloop controller"
        }
        return "the SQLite store \(storePath) is in use by \(who). One SQLite store takes one controller: stop that one "
            + "(kill -TERM its pid), or give this one its own data_dir in config.yaml; several replicas need the PostgreSQL store"
    }

    private static func readHolder(_ descriptor: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return try? JSONDecoder.holderDecoder.decode(Holder.self, from: Data(buffer[0..<count]))
    }
}

extension JSONEncoder {
    fileprivate static var holderEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    fileprivate static var holderDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
