import ArgumentParser
import DriftLoop
import DriftLoopServer
import Foundation
import Logging
import ServiceLifecycle

/// The main job on embedded defaults: start the controller, post a drift webhook for the example pipeline,
/// follow the cycle through every state, explain its decisions, and show the stored history.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run one drift → retrain → evaluate → promote cycle on embedded defaults and explain it.")

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "Pipeline to run.") var pipeline = "example"

    @Flag(help: "Leave the server running afterwards (at `listen` from config.yaml) for browsing the API.")
    var keepRunning = false

    @Flag(help: "Print server logs.") var verbose = false

    func run() async throws {
        LineBufferedOutput.enable()
        var config = try self.configOptions.load()
        if !self.keepRunning { config.listen.port = 0 }
        let logger = LoggerFactory.make(level: self.verbose ? config.logLevel : .warning)
        let pipelines = try PipelineLoading.loadAll(config)
        guard pipelines.contains(where: { $0.name == self.pipeline }) else {
            throw CLIError("no pipeline `\(self.pipeline)` in \(config.pipelinesDirectory)")
        }
        // The demo makes up its own token, so the API it drives is authenticated as in production.
        let token = config.apiToken() ?? UUID().uuidString
        let (ready, readyContinuation) = AsyncStream.makeStream(of: ServerEndpoints.self)
        let group: ServiceGroup
        do {
            group = try await DriftLoopServerApp.makeServiceGroup(
                config: config, pipelines: pipelines, apiToken: token, logger: logger, handlesSignals: true,
                onReady: { endpoints in
                    readyContinuation.yield(endpoints)
                    readyContinuation.finish()
                })
        } catch {
            throw ServerStartFailure.cliError(error, listen: config.listen, configFile: self.configOptions.config)
        }
        // The ready stream ends with the group, so a server that never became ready (a port in use) ends the wait
        // instead of leaving the process hanging on it.
        async let serving: Void = {
            defer { readyContinuation.finish() }
            try await group.run()
        }()
        var iterator = ready.makeAsyncIterator()
        guard let endpoints = await iterator.next() else {
            do {
                try await serving
            } catch {
                throw ServerStartFailure.cliError(error, listen: config.listen, configFile: self.configOptions.config)
            }
            throw CLIError("the server stopped before it was ready")
        }

        let outcome: String
        do {
            outcome = try await self.drive(endpoints: endpoints, token: token, dataDirectory: config.dataDirectory)
        } catch {
            await group.triggerGracefulShutdown()
            try? await serving
            throw error
        }
        if self.keepRunning {
            print("\nstatus page: \(endpoints.apiURL)/")
            print(
                "server left running at \(endpoints.apiURL) (token from \(config.apiTokenEnvironmentVariable) or: \(config.apiToken() == nil ? token : "***")); Ctrl-C to stop"
            )
            try await serving
            return
        }
        await group.triggerGracefulShutdown()
        try await serving
        if CycleOutcome(rawValue: outcome)?.isDecision != true { throw ExitCode(1) }
    }

    private func drive(endpoints: ServerEndpoints, token: String, dataDirectory: String) async throws -> String {
        let api = APIClient(baseURL: endpoints.apiURL, token: token)
        print("driftloop demo: controller on \(endpoints.apiURL), built-in trainer on 127.0.0.1:\(endpoints.trainerPort), store in \(dataDirectory)")
        print("posting a drift webhook for pipeline `\(self.pipeline)` (the current batch is drifted)...")
        let accepted = try await api.post(
            "/v1/webhooks/drift",
            body: [
                "pipeline": .string(self.pipeline), "source": "demo", "reason": "demo: monitoring reported drift on the latest batch",
                "force": true,
            ])
        guard let cycleId = accepted["cycle_id"]?.stringValue else { throw CLIError("the webhook was not accepted: \(accepted.jsonText)") }
        print("cycle \(cycleId) \(accepted["disposition"]?.stringValue ?? "")\n")
        let detail = try await CycleWatcher(api: api, printsProgress: true).waitForEnd(cycleId: cycleId, timeout: .seconds(300))
        print("")
        // The watcher printed each transition as it happened.
        CyclePrinter.printDetail(detail, includingTransitions: false)

        let history = try await api.get("/v1/cycles?pipeline=\(self.pipeline)&limit=10")
        print("\nhistory of `\(self.pipeline)` (stored in SQLite; it grows with every run):")
        var table = TextTable("CYCLE", "KIND", "OUTCOME", "CREATED")
        if case .array(let cycles)? = history["cycles"] {
            for cycle in cycles {
                table.add(
                    cycle["id"]?.stringValue ?? "", cycle["kind"]?.stringValue ?? "", cycle["outcome"]?.stringValue ?? "running",
                    cycle["created_at"]?.stringValue ?? "")
            }
        }
        print(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        let outcome = detail["cycle"]?["outcome"]?.stringValue ?? "unknown"
        print("\ncycle \(cycleId) ended: \(outcome)")
        return outcome
    }
}
