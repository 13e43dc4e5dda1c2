import ArgumentParser
import DriftLoop
import Foundation
import Logging

@main
struct DriftLoopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftloop",
        abstract: "A closed-loop retraining controller: drift detection, retraining, evaluation and promotion, declared in YAML.",
        subcommands: [
            ServeCommand.self, DemoCommand.self, RetrainCommand.self, StatusCommand.self, CyclesCommand.self, ShowCommand.self,
            RollbackCommand.self, CancelCommand.self, PipelineCommand.self, TrainerCommand.self, DetectCommand.self, DriftCommand.self,
            CompareCommand.self,
            DataCommand.self, ExportCommand.self, ApproveCommand.self, PauseCommand.self, ResumeCommand.self,
        ])

    static func main() async {
        // curl runs with NOSIGNAL, so a peer closing a socket would otherwise kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        // Logged values come from requests and trainers: control characters are escaped, so none can forge a line.
        LoggingSystem.bootstrap(EscapingLogHandler.standardError)
        do {
            // `driftloop drift` is timed as a whole process: its usual command line is read without ArgumentParser
            // (Startup/DriftCommandLine.swift has the measured gain). Anything else (help, a mistake) goes the usual
            // way, for the usual messages.
            let arguments = CommandLine.arguments.dropFirst()
            if arguments.first == "drift", let drift = DriftRun(arguments: arguments.dropFirst()) {
                // Not `throw ExitCode`: ArgumentParser's `exit(withError:)` builds a help generator even for
                // an exit code, which reflects over every command (part of the fast path's measured gain).
                Foundation.exit(await drift.status())
            }
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            // A failure the user can fix: one line on stderr, and its own exit code (2 unless it says otherwise).
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}
