import CurlHTTP
import DriftLoop
import Foundation
import Hummingbird
import Logging
import Mustache
import ServiceLifecycle
import UnixSignals

/// Where a running server can be reached, handed to `onReady` once both listeners are bound.
public struct ServerEndpoints: Sendable {
    public var apiPort: Int
    public var trainerPort: Int
    public var controller: Controller
    /// The built-in trainer's per-process bearer token (in process only: never logged or written anywhere).
    public var trainerToken: String

    public var apiURL: String { "http://127.0.0.1:\(self.apiPort)" }
}

/// Builds the running controller: store, built-in registry and trainer, the controller, and the API server.
public enum DriftLoopServerApp {
    /// Everything `serve` and `demo` run, as one `ServiceGroup`. Run it; trigger its graceful shutdown to stop.
    public static func makeServiceGroup(
        config: ControllerConfig, pipelines: [PipelineDefinition], apiToken: String?, logger: Logger, handlesSignals: Bool = true,
        observer: PipelineController.TransitionObserver? = nil, onReady: @escaping @Sendable (ServerEndpoints) async -> Void = { _ in }
    ) async throws -> ServiceGroup {
        var tokens: [(name: String, role: APIRole, token: String)] = apiToken.map { [(name: "api", role: APIRole.approve, token: $0)] } ?? []
        let environment = ProcessInfo.processInfo.environment
        for token in config.apiTokens {
            guard let value = token.secret.resolve(environment: environment) else {
                throw ServerStartError("API token `\(token.name)` is not set (\(token.secret)); set it or remove it from api_tokens in config.yaml")
            }
            tokens.append((token.name, token.role, value))
        }
        let authorizer = BearerTokenAuthorizer(tokens: tokens, readsNeedToken: !config.apiTokens.isEmpty, rateLimit: config.rateLimit)
        if authorizer.isOpen, !config.listen.isLoopback {
            throw ServerStartError(
                "refusing to listen on \(config.listen) without an API token: set \(config.apiTokenEnvironmentVariable), or listen on 127.0.0.1")
        }
        if authorizer.isOpen {
            logger.warning("API authentication is off: set \(config.apiTokenEnvironmentVariable) to require a bearer token")
        }
        let store: any CycleStore
        do {
            store = try await CycleStoreOpener.open(config.store, environment: ProcessInfo.processInfo.environment, logger: logger)
        } catch let error as StoreOpenError {
            throw ServerStartError(error.message)
        }
        let dataDirectory = config.dataDirectory
        try PrivateDirectory.create(dataDirectory)
        let trainingService = try BuiltinTrainingService(
            directory: (dataDirectory as NSString).appendingPathComponent("trainer"), policy: TrainingRequestPolicy(pipelines), logger: logger)
        let bodies = RequestBodyDecoder(maxBytes: config.maxBodyBytes, readTimeout: config.bodyReadTimeout)
        // The controller and its built-in trainer share a secret made for this process: the trainer's port is on
        // loopback, which every local user and sidecar can reach.
        let trainerToken = TrainerCredential.random()

        let trainerRouter = buildTrainerRouter(service: trainingService, token: trainerToken, bodies: bodies)
        let (trainerPorts, trainerPortContinuation) = AsyncStream.makeStream(of: Int.self)
        let trainerApp = Application(
            router: trainerRouter,
            configuration: .init(address: .hostname("127.0.0.1", port: config.builtinTrainerPort), serverName: "driftloop-trainer"),
            onServerRunning: { channel in
                trainerPortContinuation.yield(channel.localAddress?.port ?? 0)
                trainerPortContinuation.finish()
            },
            logger: logger)

        let host = ControllerHost(
            config: config, pipelines: pipelines, authorizer: authorizer, store: store, trainingService: trainingService, trainerPorts: trainerPorts,
            trainerToken: trainerToken, bodies: bodies, logger: logger, observer: observer, onReady: onReady)
        return ServiceGroup(
            configuration: .init(
                services: [.init(service: trainerApp), .init(service: host, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
                logger: logger))
    }
}

/// Starts the controller once the built-in trainer's port is known, then serves the API until shutdown,
/// and stops the controller after the API has drained.
struct ControllerHost: Service, CustomStringConvertible {
    var config: ControllerConfig
    var pipelines: [PipelineDefinition]
    var authorizer: BearerTokenAuthorizer
    var store: any CycleStore
    var trainingService: BuiltinTrainingService
    var trainerPorts: AsyncStream<Int>
    var trainerToken: String
    var bodies: RequestBodyDecoder
    var logger: Logger
    var observer: PipelineController.TransitionObserver?
    var onReady: @Sendable (ServerEndpoints) async -> Void

    /// ServiceLifecycle logs each service's description at debug level: a name, never the secrets this one holds.
    var description: String { "ControllerHost(pipelines: \(self.pipelines.map(\.name)))" }

    func run() async throws {
        var ports = self.trainerPorts.makeAsyncIterator()
        guard let trainerPort = await ports.next() else { return }
        await self.trainingService.resumeUnfinished()
        let client = CurlHTTPClient()
        let registry = BuiltinRegistry(directory: (self.config.dataDirectory as NSString).appendingPathComponent("registry"))
        let builtinURL = "http://127.0.0.1:\(trainerPort)"
        let builtinTrainer = BuiltinTrainerAccess(url: builtinURL, token: self.trainerToken)
        let environment = ProcessInfo.processInfo.environment
        let publicURL = self.config.effectivePublicURL
        let history = CycleHistory(store: self.store)
        let metrics = DriftLoopMetrics(history: history, pipelines: self.pipelines)
        let notifier: CycleNotifier
        do {
            notifier = try CycleNotifier(
                settings: self.config.notifications, environment: environment, store: self.store, client: client, publicURL: publicURL, logger: self.logger,
                retryDelay: self.config.notificationRetryDelay)
        } catch {
            throw ServerStartError("\(error); set it, or remove that entry from notifications in config.yaml")
        }
        let userObserver = self.observer
        var leases: LeaseKeeper?
        if let leaseStore = self.store as? any LeaseStore {
            let owner = self.config.replica.id ?? ReplicaIdentity.defaultId(listenPort: self.config.listen.port)
            leases = LeaseKeeper(owner: owner, store: leaseStore, pipelines: self.pipelines.map(\.name), ttl: self.config.replica.leaseTTL, logger: self.logger)
            self.logger.notice("running as a replica: pipelines are leased through the store", metadata: ["replica": "\(owner)"])
        }
        let driftChecks = LatestDriftChecks()
        let statusTemplates: MustacheLibrary
        do {
            statusTemplates = try StatusPageTemplates.library()
        } catch {
            throw ServerStartError("the status page templates do not parse: \(error)")
        }
        let webhooks = try WebhookCredentials(self.config.webhooks, environment: environment)
        let controller = Controller(
            pipelines: self.pipelines, store: self.store,
            services: { pipeline in
                PipelineServices(
                    trainer: InstrumentedTrainer(
                        base: TrainerFactory.make(pipeline.trainer, builtin: builtinTrainer, environment: environment, client: client),
                        meter: CallMeter(metrics: metrics, pipeline: pipeline.name, kind: "trainer", system: pipeline.trainer.kind.rawValue)),
                    registry: InstrumentedRegistry(
                        base: RegistryFactory.make(pipeline.registry, builtin: registry, environment: environment, client: client),
                        meter: CallMeter(metrics: metrics, pipeline: pipeline.name, kind: "registry", system: pipeline.registry.kind.rawValue)),
                    dataLoader: DataLoader(client: client, feedback: self.store, environment: environment, s3: self.config.s3, logger: self.logger),
                    publicURL: publicURL,
                    modelRoots: ModelRoots(pipeline.trainer.modelRoots + [(self.config.dataDirectory as NSString).appendingPathComponent("trainer/models")]))
            },
            logger: self.logger,
            observer: { cycleId, from, to, outcome in
                await metrics.transition(cycleId: cycleId, from: from, to: to, outcome: outcome)
                notifier.transition(cycleId: cycleId, from: from, to: to)
                await userObserver?(cycleId, from, to, outcome)
            },
            triggerObserver: { pipeline, trigger, acceptance in metrics.triggerAccepted(pipeline: pipeline, trigger: trigger, acceptance: acceptance) },
            driftObserver: { pipeline, report in
                metrics.recordDrift(pipeline: pipeline, report)
                driftChecks.record(pipeline: pipeline, report: report)
            },
            slots: CycleSlots(limit: self.config.maxConcurrentCycles), leases: leases)
        let resumed = try await controller.resumeRunningCycles()
        if resumed > 0 { self.logger.notice("resumed unfinished cycles", metadata: ["count": "\(resumed)"]) }

        let router = buildRouter(
            ServerDependencies(
                controller: controller, metrics: metrics, driftChecks: driftChecks, statusTemplates: statusTemplates, authorizer: self.authorizer,
                bodies: self.bodies, allowedHostNames: self.config.allowedHostNames, webhooks: webhooks))
        let onReady = self.onReady
        let trainerToken = self.trainerToken
        let api = Application(
            router: router,
            // Connections that send nothing for this long are closed, also when a request stalls half-sent.
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(self.config.listen.host, port: self.config.listen.port), serverName: "driftloop"),
            onServerRunning: { channel in
                await onReady(ServerEndpoints(apiPort: channel.localAddress?.port ?? 0, trainerPort: trainerPort, controller: controller, trainerToken: trainerToken))
            },
            logger: self.logger)
        // Graceful shutdown goes in reverse order: the API drains first, then the background loops stop, then the
        // controller waits for its running actions to commit, and the notifier sends what they committed last.
        let background: [any Service] = [
            NotificationService(notifier: notifier), ControllerService(controller: controller), FeedbackMonitorService(controller: controller),
            RetentionService(controller: controller, retention: self.config.retention, logger: self.logger),
            ReplicationService(controller: controller, poll: self.config.replica.poll), ScheduleService(controller: controller),
        ]
        let group = ServiceGroup(
            configuration: .init(
                services: background.map { .init(service: $0, successTerminationBehavior: .ignore) }
                    + [.init(service: api, successTerminationBehavior: .gracefullyShutdownGroup)],
                logger: self.logger))
        try await group.run()
    }
}

/// The server cannot start; the message says why and what to change.
public struct ServerStartError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}
