import DriftLoop
import DriftLoopServer
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The whole server on 127.0.0.1 (API, built-in trainer, SQLite store) around a test, shut down after it.
enum LiveServer {
    static func run(
        pipelineYAML: String, maxBodyBytes: Int, configYAML: String = "", extraPipelines: [String: String] = [:], apiToken: String? = APITests.token,
        logger: Logger = TestData.quietLogger, directory: TemporaryDirectory = TemporaryDirectory(), _ body: @Sendable (ServerEndpoints, APITestClient) async throws -> Void
    ) async throws {
        let pipelinesDirectory = directory.file("pipelines")
        _ = directory.write("pipelines/churn.yaml", pipelineYAML)
        for (name, yaml) in extraPipelines { _ = directory.write("pipelines/\(name).yaml", yaml) }
        var config = try ControllerConfig.parse(
            "listen: \"127.0.0.1:0\"\nmax_body_bytes: \(maxBodyBytes)\n" + configYAML, file: "config.yaml", baseDirectory: directory.path)
        config.pipelinesDirectory = pipelinesDirectory
        config.notificationRetryDelay = .milliseconds(50)
        let pipelines = try PipelineLoader.loadAll(directory: pipelinesDirectory)
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
