import DriftLoop
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The built-in trainer as a service of its own (`driftloop trainer`), for running it apart from the controller.
/// It answers only callers with `token`, and trains only on the data the given pipelines declare.
package enum BuiltinTrainerServer {
    package static func makeServiceGroup(
        directory: String, port: Int, maxBodyBytes: Int, token: String, pipelines: [PipelineDefinition], logger: Logger
    ) throws -> ServiceGroup {
        let service = try BuiltinTrainingService(directory: directory, policy: TrainingRequestPolicy(pipelines), logger: logger)
        let router = buildTrainerRouter(service: service, token: token, bodies: RequestBodyDecoder(maxBytes: maxBodyBytes))
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "driftloop-trainer"),
            onServerRunning: { _ in
                await service.resumeUnfinished()
                logger.notice("built-in trainer listening", metadata: ["port": "\(port)", "pipelines": "\(pipelines.map(\.name).sorted())"])
            },
            logger: logger)
        return ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }
}
