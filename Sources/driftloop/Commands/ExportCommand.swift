import ArgumentParser
import DriftLoop
import Foundation
import Logging

/// `driftloop export`: the whole history as JSON lines, one cycle per line with its transitions and triggers.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write every cycle (with its transitions, triggers and decisions) as JSON lines, oldest first.")

    @OptionGroup var configOptions: ConfigOptions
    @Option(help: "Only this pipeline's cycles.") var pipeline: String?
    @Option(help: "Only cycles created at or after this time (ISO 8601, e.g. 2026-11-01T00:00:00Z).") var since: String?
    @Option(help: "Write to this file instead of standard output (replaced atomically when done).") var output: String?

    func run() async throws {
        let config = try self.configOptions.load()
        var since: Date?
        if let text = self.since {
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw CLIError("--since must be an ISO 8601 time such as 2026-11-01T00:00:00Z, got `\(text)`")
            }
            since = date
        }
        if case .sqlite(let path) = config.store, !FileManager.default.fileExists(atPath: path) {
            throw CLIError("no store at \(path) (from \(self.configOptions.config)); run the controller first, or pass --config")
        }
        let store: any CycleStore
        do {
            store = try await CycleStoreOpener.open(
                config.store, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "driftloop.export"))
        } catch let error as StoreOpenError {
            throw CLIError(error.message)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var lines = Data()
        for cycle in try await store.allCycles(pipeline: self.pipeline, createdSince: since) {
            let line = ExportedCycle(
                cycle: cycle, transitions: try await store.transitions(cycleId: cycle.id), triggers: try await store.triggers(cycleId: cycle.id))
            lines.append(try encoder.encode(line))
            lines.append(0x0A)
        }
        if let output = self.output {
            try AtomicFile.write(lines, to: output)
        } else {
            FileHandle.standardOutput.write(lines)
        }
    }

    struct ExportedCycle: Encodable {
        var cycle: CycleRecord
        var transitions: [TransitionRecord]
        var triggers: [TriggerRecord]
    }
}
