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
            (self.descriptor, self.port) = try LoopbackSocket.bind(listening: 8)
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
        // Nothing before it claims a start or a stop that did not happen.
        for misleading in ["listening on", "CancellationError", "driftloop stopping", "Server shutdown error"] {
            #expect(!finished.output.contains(misleading), "\(finished.output)")
        }
    }
}
