import Foundation
import Testing

/// Runs the `driftloop` binary built beside the tests, and captures what it printed.
enum CLIRun {
    static var binary: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // The runner may be inside the .xctest bundle (macOS layout) or beside the products (Linux).
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("driftloop").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return ChildServer.repositoryRoot + "/.build/debug/driftloop"
    }

    /// The environment a user's shell would give: the test's own, without an API token.
    static func environment(adding extra: [String: String] = [:]) -> [String: String] {
        var base = ProcessInfo.processInfo.environment
        base["DRIFTLOOP_API_TOKEN"] = nil
        return base.merging(extra) { $1 }
    }

    /// Runs to the end, in a directory with no config.yaml (every default); a run still going after `seconds` is
    /// killed and recorded as a test failure.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], input: Data? = nil, seconds: Double = 180
    ) async throws -> (status: Int32, output: String) {
        let child = try TestProcess(
            Self.binary, arguments, environment: Self.environment(adding: environment), directory: NSTemporaryDirectory(), input: input)
        guard let status = await child.exitStatus(within: seconds) else {
            Issue.record("`driftloop \(arguments.joined(separator: " "))` was still running after \(seconds) s:\n\(child.text.suffix(2000))")
            return (-1, child.text)
        }
        return (status, child.text)
    }
}
