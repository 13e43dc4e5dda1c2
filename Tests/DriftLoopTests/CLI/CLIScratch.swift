import Foundation
import Synchronization

/// A scratch directory with a `config.yaml` on the repository's pipelines, for running the CLI as a user would, and
/// a started CLI process whose output goes to one pipe. Removed with `remove()`.
struct CLIScratch {
    let directory: String
    var configPath: String { self.directory + "/config.yaml" }

    /// `listen` as `host:port`, or nil for the default.
    init(_ name: String, listen: String? = nil) throws {
        self.directory = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        var config = "data_dir: \(self.directory)/data\npipelines_dir: \(ChildServer.repositoryRoot)/pipelines\n"
        if let listen { config = "listen: \"\(listen)\"\n" + config }
        try config.write(toFile: self.configPath, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: self.directory) }

    /// Starts the CLI with `arguments` and this config, without an API token in its environment.
    func start(_ arguments: [String]) throws -> (process: Process, output: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRun.binary)
        process.arguments = arguments + ["--config", self.configPath]
        process.currentDirectoryURL = URL(fileURLWithPath: self.directory)
        var environment = ProcessInfo.processInfo.environment
        environment["DRIFTLOOP_API_TOKEN"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return (process, output)
    }
}

/// Collects a running process's output off the test's task, so output that never comes fails at a deadline instead
/// of blocking the test.
final class OutputCollector: Sendable {
    private let received = Mutex("")
    private let pipe: Pipe

    init(_ pipe: Pipe) {
        self.pipe = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            self?.received.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
        }
    }

    deinit { self.pipe.fileHandleForReading.readabilityHandler = nil }

    var text: String { self.received.withLock { $0 } }

    /// Waits until the output contains `marker`, the process ends, or `seconds` pass; returns whether it came.
    func wait(for marker: String, from process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !self.text.contains(marker), Date() < deadline, process.isRunning { usleep(50_000) }
        return self.text.contains(marker)
    }
}
