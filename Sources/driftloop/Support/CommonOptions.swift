import ArgumentParser
import DriftLoop
import Foundation
import Logging

/// `--config`, shared by every command that reads the controller's settings.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path to config.yaml (a missing file means every default).")
    var config: String = "config.yaml"

    func load() throws -> ControllerConfig {
        do {
            return try ControllerConfig.load(path: self.config)
        } catch {
            throw CLIError(error.description)
        }
    }
}

/// Options of commands that talk to a running server.
struct ClientOptions: ParsableArguments {
    @OptionGroup var configOptions: ConfigOptions

    @Option(name: .long, help: "Server URL. Default: http://<listen> from config.yaml.")
    var server: String?

    @Flag(name: .long, help: "Print JSON instead of tables.")
    var json = false

    @Option(name: .long, help: "Environment variable holding the bearer token to send (a named api_tokens entry). Default: api_token_env.")
    var tokenEnv: String?

    func makeClient() throws -> APIClient {
        let config = try self.configOptions.load()
        let url = self.server ?? "http://\(config.listen.host == "0.0.0.0" ? "127.0.0.1" : config.listen.host):\(config.listen.port)"
        var token = config.apiToken()
        if let variable = self.tokenEnv {
            guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
                throw CLIError("--token-env \(variable): that variable is not set")
            }
            token = value
        }
        return APIClient(baseURL: url, token: token)
    }
}

/// A failure reported to the user as one clear line, with exit code 2 unless said otherwise.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32 = 2

    init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { self.message }
}

enum LoggerFactory {
    static func make(level: Logger.Level) -> Logger {
        var logger = Logger(label: "driftloop")
        logger.logLevel = level
        return logger
    }
}

/// Loads the pipelines a config names, turning diagnostics into a CLI error.
enum PipelineLoading {
    static func loadAll(_ config: ControllerConfig) throws -> [PipelineDefinition] {
        do {
            let pipelines = try PipelineLoader.loadAll(directory: config.pipelinesDirectory)
            if pipelines.isEmpty { throw CLIError("no pipelines in \(config.pipelinesDirectory); add a NAME.yaml (see pipelines/example.yaml)") }
            return pipelines
        } catch let error as DiagnosticsError {
            throw CLIError(error.description)
        }
    }
}
