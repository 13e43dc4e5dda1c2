import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket bound to an ephemeral port on 127.0.0.1, for tests that need a port of their own.
enum LoopbackSocket {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "cannot bind a socket on 127.0.0.1: \(String(cString: strerror(errno)))" }
    }

    /// A bound socket and its port; listening when `listening` (with that backlog). The caller closes it.
    static func bind(listening backlog: Int32? = nil) throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, length) == 0 && (backlog.map { listen(descriptor, $0) == 0 } ?? true)
                    && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, ready else {
            if descriptor >= 0 { close(descriptor) }
            throw Unavailable()
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}
