import Foundation

/// A helper server (one of the repository's Python scripts) in a child process on 127.0.0.1. The script takes
/// `--port 0 --port-file F`, binds a free port and writes it to F once it accepts connections.
final class ChildServer: Sendable {
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().path
    }()

    let process: Process
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(self.port)" }

    /// Starts `python script arguments --port 0 --port-file F` and waits up to `startTimeout` for the port.
    init(python: String, script: String, arguments: [String], portFile: String, log: String, startTimeout: Duration = .seconds(60)) async throws {
        try? FileManager.default.removeItem(atPath: portFile)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--port", "0", "--port-file", portFile] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        let deadline = ContinuousClock.now + startTimeout
        var port: Int?
        while port == nil, process.isRunning, ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8) {
                port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if port == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        guard let port else {
            if process.isRunning { process.terminate() }
            let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
            throw Failure(message: "\((script as NSString).lastPathComponent) did not start (exit \(process.isRunning ? "none" : String(process.terminationStatus))): \(tail)")
        }
        self.process = process
        self.port = port
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
