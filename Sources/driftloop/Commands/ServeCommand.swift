import ArgumentParser
import DriftLoop
import DriftLoopServer
import Foundation
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the controller: API, webhooks, built-in trainer and every pipeline's cycles, until SIGTERM/SIGINT.")

    @OptionGroup var configOptions: ConfigOptions

    func run() async throws {
        let config = try self.configOptions.load()
        let logger = LoggerFactory.make(level: config.logLevel)
        let pipelines = try PipelineLoading.loadAll(config)
        let group: ServiceGroup
        do {
            group = try await DriftLoopServerApp.makeServiceGroup(
                config: config, pipelines: pipelines, apiToken: config.apiToken(), logger: logger,
                onReady: { endpoints in
                    logger.notice(
                        "driftloop is serving",
                        metadata: [
                            "api": "\(endpoints.apiURL)", "builtin_trainer": "http://127.0.0.1:\(endpoints.trainerPort)",
                            "pipelines": "\(pipelines.map(\.name))",
                        ])
                })
        } catch {
            throw ServerStartFailure.cliError(error, listen: config.listen, configFile: self.configOptions.config)
        }
        do {
            try await group.run()
        } catch {
            throw ServerStartFailure.cliError(error, listen: config.listen, configFile: self.configOptions.config)
        }
    }
}

struct TrainerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainer", abstract: "Run only the built-in trainer (HTTP trainer protocol: POST /train, GET /jobs/{id}).")

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "Port to listen on (127.0.0.1).")
    var port: Int = 9000

    @Option(name: .long, help: "Environment variable holding the bearer token callers must send (pipelines: trainer.token_env).")
    var tokenEnv = "DRIFTLOOP_TRAINER_TOKEN"

    func run() async throws {
        let config = try self.configOptions.load()
        let logger = LoggerFactory.make(level: config.logLevel)
        guard let token = ProcessInfo.processInfo.environment[self.tokenEnv], !token.isEmpty else {
            throw CLIError(
                "the trainer needs a bearer token: set \(self.tokenEnv) (or name another variable with --token-env), and give the pipelines that use it `trainer: {kind: http, token_env: \(self.tokenEnv)}`"
            )
        }
        // The trainer reads only the data these pipelines declare.
        let pipelines = try PipelineLoading.loadAll(config)
        let group = try BuiltinTrainerServer.makeServiceGroup(
            directory: (config.dataDirectory as NSString).appendingPathComponent("trainer"), port: self.port, maxBodyBytes: config.maxBodyBytes,
            token: token, pipelines: pipelines, logger: logger)
        try await group.run()
    }
}
