import Foundation

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
    func start(_ arguments: [String]) throws -> TestProcess {
        try TestProcess(CLIRun.binary, arguments + ["--config", self.configPath], environment: CLIRun.environment(), directory: self.directory)
    }
}
