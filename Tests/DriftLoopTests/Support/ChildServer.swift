import Foundation

/// A real server a test talks to (one of the repository's Python scripts, Prometheus) in a child process on
/// 127.0.0.1, stopped when the test ends. The Python scripts take `--port 0 --port-file F`, bind a free port and
/// write it to F once they accept connections.
final class ChildServer: Sendable {
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().path
    }()

    let process: Process
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(self.port)" }

    /// Starts `python script --port 0 --port-file F arguments` and waits up to `startTimeout` for the port.
    convenience init(python: String, script: String, arguments: [String], portFile: String, log: String, startTimeout: Duration = .seconds(60))
        async throws
    {
        try? FileManager.default.removeItem(atPath: portFile)
        try await self.init(
            executable: python, arguments: [script, "--port", "0", "--port-file", portFile] + arguments, log: log, startTimeout: startTimeout
        ) {
            (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    /// Starts `executable arguments` and waits until `ready` returns the port it serves on.
    init(executable: String, arguments: [String], log: String, startTimeout: Duration = .seconds(60), ready: () async -> Int?) async throws {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        let deadline = ContinuousClock.now + startTimeout
        var port: Int?
        while port == nil, process.isRunning, ContinuousClock.now < deadline {
            port = await ready()
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let port else {
            if process.isRunning { process.terminate() }
            let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
            throw Failure(
                message:
                    "\((executable as NSString).lastPathComponent) did not start (exit \(process.isRunning ? "none" : String(process.terminationStatus))): \(tail)"
            )
        }
        self.process = process
        self.port = port
    }

    /// A port nothing listens on now, for servers that cannot pick their own.
    static func freePort() throws -> Int {
        let (socket, port) = try LoopbackSocket.bind()
        close(socket)
        return port
    }

    /// SIGTERM, then SIGKILL if the server has not exited within two seconds.
    func stop() {
        guard self.process.isRunning else { return }
        self.process.terminate()
        for _ in 0..<40 where self.process.isRunning { usleep(50_000) }
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
    }

    deinit { self.stop() }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { self.message }
    }
}
