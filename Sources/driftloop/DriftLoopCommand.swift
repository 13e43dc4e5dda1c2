import ArgumentParser
import Foundation

@main
struct DriftLoopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftloop",
        abstract: "A closed-loop retraining controller: drift detection, retraining, evaluation and promotion, declared in YAML.",
        subcommands: [
            ServeCommand.self, DemoCommand.self, RetrainCommand.self, StatusCommand.self, CyclesCommand.self, ShowCommand.self,
            RollbackCommand.self, CancelCommand.self, PipelineCommand.self, TrainerCommand.self, DetectCommand.self, DriftCommand.self,
        ])

    static func main() async {
        // curl runs with NOSIGNAL, so a peer closing a socket would otherwise kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
