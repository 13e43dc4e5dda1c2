import DriftLoop
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Checks that the API's address is free before anything starts. A taken port used to surface only after the
/// built-in trainer had logged "listening", the controller "stopping" and NIO a CancellationError, so the one line
/// that mattered came last, after three that misled. Binding a socket first (with SO_REUSEADDR, as the server does)
/// finds it before any of that; the server's own bind error stays the fallback for the moment between the two.
enum ListenPreflight {
    static func check(_ listen: ListenAddress) throws {
        guard listen.port != 0 else { return }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        // An unresolvable host is left to the server, which names it.
        guard getaddrinfo(listen.host, String(listen.port), &hints, &found) == 0, let first = found else { return }
        defer { freeaddrinfo(found) }
        let descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if bind(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            let reason = errno
            if reason == EADDRINUSE { throw ListenAddressInUse(listen: listen) }
            if reason == EACCES {
                throw ServerStartError(
                    "\(listen) needs privileges this process does not have (ports below 1024 do); set `listen:` to a port above 1024")
            }
        }
    }
}

/// The API's address is taken by another process; the CLI says which config key to change.
package struct ListenAddressInUse: Error, Sendable, CustomStringConvertible {
    package var listen: ListenAddress
    package var description: String { "\(self.listen) is already in use by another process" }
}
