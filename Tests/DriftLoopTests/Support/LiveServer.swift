import DriftLoop
import DriftLoopServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing

/// The whole server (API, built-in trainer, SQLite store, background services) around a test, shut down after it.
/// By default the API is called in process, straight to the router `buildApplication` builds; the tests that need a
/// real socket (raw connections, the CLI, timeouts, Host headers) ask for `.live`, which binds 127.0.0.1. The
/// built-in trainer listens on loopback either way, as it does in production.
enum LiveServer {
    enum Transport {
        case inProcess
        case live
    }

    static func run(
        pipelineYAML: String, maxBodyBytes: Int, configYAML: String = "", extraPipelines: [String: String] = [:], apiToken: String? = APITests.token,
        logger: Logger = TestData.quietLogger, directory: TemporaryDirectory = TemporaryDirectory(), transport: Transport = .inProcess,
        _ body: @Sendable (ServerEndpoints, APITestClient) async throws -> Void
    ) async throws {
        let pipelinesDirectory = directory.file("pipelines")
        _ = directory.write("pipelines/churn.yaml", pipelineYAML)
        for (name, yaml) in extraPipelines { _ = directory.write("pipelines/\(name).yaml", yaml) }
        var config = try ControllerConfig.parse(
            "listen: \"127.0.0.1:0\"\nmax_body_bytes: \(maxBodyBytes)\n" + configYAML, file: "config.yaml", baseDirectory: directory.path)
        config.pipelinesDirectory = pipelinesDirectory
        config.notificationRetryDelay = .milliseconds(50)
        let pipelines = try PipelineLoader.loadAll(directory: pipelinesDirectory)
        switch transport {
        case .inProcess:
            let built = try await DriftLoopServerApp.buildApplication(config: config, pipelines: pipelines, apiToken: apiToken, logger: logger)
            try await built.application.test(.router) { client in
                let trainerURL = try await built.trainerEndpoint.url()
                let endpoints = ServerEndpoints(
                    apiPort: 0, trainerPort: URL(string: trainerURL)?.port ?? 0, controller: built.controller, trainerToken: built.trainerToken)
                try await body(endpoints, APITestClient(inProcess: client))
            }
        case .live:
            let (ready, continuation) = AsyncStream.makeStream(of: ServerEndpoints.self)
            let group = try await DriftLoopServerApp.makeServiceGroup(
                config: config, pipelines: pipelines, apiToken: apiToken, logger: logger, handlesSignals: false,
                onReady: { continuation.yield($0) })
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = ready.makeAsyncIterator()
                let endpoints = try #require(await iterator.next())
                do {
                    try await body(endpoints, APITestClient(base: endpoints.apiURL))
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
