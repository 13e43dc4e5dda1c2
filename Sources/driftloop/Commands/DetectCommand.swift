import ArgumentParser
import DriftData
import DriftStats
import Foundation

/// Runs one of River's stream detectors over a file of values, for trying parameters before declaring them.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Run a stream drift detector over FILE (one value per line) and print drift and warning indices (0-based, River's convention).")

    @Option(help: "Detector: \(AnyStreamDetector.names.joined(separator: ", ")).")
    var detector: String

    @Option(name: .customLong("param"), help: "A parameter by River's name, e.g. --param delta=0.01 --param clock=1 (repeatable).")
    var parameters: [String] = []

    @Flag(help: "Print {\"drift\": [...], \"warning\": [[start, end], ...]}.")
    var json = false

    @Argument(help: "Values, one per line (`-` for standard input).")
    var file: String

    func run() throws {
        var named: [String: String] = [:]
        for parameter in self.parameters {
            guard let equals = parameter.firstIndex(of: "="), equals != parameter.startIndex else {
                throw CLIError("--param `\(parameter)` must look like NAME=VALUE, e.g. delta=0.01")
            }
            named[String(parameter[..<equals])] = String(parameter[parameter.index(after: equals)...])
        }
        var detector: AnyStreamDetector
        do {
            detector = try AnyStreamDetector(name: self.detector, parameters: named)
        } catch {
            throw CLIError(error.description)
        }
        let values = try Self.readValues(self.file, domain: detector.inputDomain, detector: self.detector)
        let run = DetectorRun(detector: &detector, stream: values)
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(run), as: UTF8.self))
        } else {
            print("values: \(values.count)")
            print("drift: \(run.drift.isEmpty ? "none" : run.drift.map(String.init).joined(separator: ", "))")
            print("warning: \(run.warning.isEmpty ? "none" : run.warning.map { "\($0[0])-\($0[1])" }.joined(separator: ", "))")
        }
    }

    /// The file's values, one per line; a line that is not a number, or a value outside what the detector reads,
    /// is an error naming the file, the line and what was expected.
    static func readValues(_ path: String, domain: AnyStreamDetector.InputDomain, detector: String) throws -> [Double] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                // The operating system's reason: missing, not allowed, or a directory.
                let reason = access(path, R_OK) == 0 ? "it is not a readable file" : String(cString: strerror(errno))
                throw CLIError("\(path): cannot be read: \(reason)")
            }
            data = contents
        }
        do {
            return try data.withUnsafeBytes { raw in
                try ValueLinesReader.values(of: raw.bindMemory(to: UInt8.self), accepts: domain.accepts)
            }
        } catch let failure as ValueLinesReader.Failure {
            switch failure.kind {
            case .notANumber:
                throw CLIError("\(path):\(failure.line): `\(failure.text)` is not a number; expected one value per line")
            case .notAccepted:
                throw CLIError("\(path):\(failure.line): \(detector) reads \(domain.expectation) per line, not \(failure.text)")
            }
        }
    }
}
