import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve` and `demo --keep-running` on a port another process holds: each must end at once, with exit 2 and a
/// message naming the address and the way out, never hang (TERM used to do nothing; only kill -9 ended it).
@Suite struct BusyPortTests {
    /// A listening socket on an ephemeral loopback port, held until `close`.
    final class HeldPort {
        let descriptor: Int32
        let port: Int

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(descriptor, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            self.descriptor = descriptor
            self.port = Int(UInt16(bigEndian: address.sin_port))
        }

        func close() { _ = Glibc.close(self.descriptor) }
    }

    /// Runs the CLI in a directory whose config listens on `port`; returns its status and output, or nil when it was
    /// still running after `seconds` (then it is killed).
    static func run(_ arguments: [String], port: Int, seconds: Double) async throws -> (status: Int32, output: String)? {
        let scratch = try CLIScratch("busy-port", listen: "127.0.0.1:\(port)")
        defer { scratch.remove() }
        let command = try scratch.start(arguments)
        guard let status = await command.exitStatus(within: seconds) else { return nil }
        return (status, command.text)
    }

    @Test(arguments: [["demo", "--keep-running"], ["serve"]])
    func aTakenPortEndsTheCommandWithTheAddressAndTheWayOut(_ command: [String]) async throws {
        let held = try HeldPort()
        defer { held.close() }
        let run = try await Self.run(command, port: held.port, seconds: 5)
        let finished = try #require(run, "`driftloop \(command.joined(separator: " "))` was still running 5 s after start on a taken port")
        #expect(finished.status == 2, "\(finished.output)")
        #expect(finished.output.contains("127.0.0.1:\(held.port) is already in use"), "\(finished.output)")
        #expect(finished.output.contains("set `listen:`"), "\(finished.output)")
    }
}
