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

        let trainerRouter = Router(context: BasicRequestContext.self)
        trainerRouter.middlewares.add(JSONErrorMiddleware())
        trainerRouter.middlewares.add(HostGuard(allowedNames: []))
        BuiltinTrainerRoutes(
            service: trainingService, authorizer: BearerTokenAuthorizer(tokens: [("controller", .approve, trainerToken)], readsNeedToken: true), bodies: bodies
        ).register(on: trainerRouter)
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
        let metrics = DriftLoopMetrics(store: self.store, pipelines: self.pipelines)
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

        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(SecurityHeaders())
        router.middlewares.add(RequestMetricsMiddleware(metrics: metrics))
        router.middlewares.add(JSONErrorMiddleware())
        router.middlewares.add(HostGuard(allowedNames: self.config.allowedHostNames))
        router.middlewares.add(CrossOriginGuard(enabled: self.authorizer.isOpen))
        MetricsRoutes(metrics: metrics).register(on: router)
        let authorizer = self.authorizer
        APIRoutes(controller: controller, authorizer: authorizer, bodies: self.bodies).register(on: router)
        StatusPageRoutes(controller: controller, driftChecks: driftChecks, authorizer: authorizer, library: statusTemplates).register(on: router)
        let webhooks = self.config.webhooks
        var secrets: [String: String] = [:]
        for (source, secret) in webhooks.signingSecrets {
            guard let value = secret.resolve(environment: environment) else {
                throw ServerStartError("the signing secret of webhook source `\(source)` is not set (\(secret)); set it or remove the source from webhooks.signed.sources")
            }
            secrets[source] = value
        }
        var alertmanagerAuthorizer: BearerTokenAuthorizer?
        if let secret = webhooks.alertmanagerToken {
            guard let token = secret.resolve(environment: environment) else {
                throw ServerStartError("the Alertmanager token (\(secret)) is not set; set it or remove webhooks.alertmanager.token_env/token_file")
            }
            alertmanagerAuthorizer = BearerTokenAuthorizer(token: token)
        }
        WebhookRoutes(
            controller: controller, authorizer: authorizer, alertmanagerAuthorizer: alertmanagerAuthorizer, pipelineLabel: webhooks.alertmanagerPipelineLabel,
            signingSecrets: secrets, maxSkew: webhooks.signatureMaxSkew, bodies: self.bodies, metrics: metrics
        ).register(on: router)
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
        let schedules = Task { await controller.runSchedules() }
        let replication = Task { [poll = self.config.replica.poll] in await controller.runReplication(poll: poll) }
        let notifications = Task { await notifier.run() }
        let prunesFeedback = self.pipelines.contains { $0.feedbackRetention != nil }
        let pruning = Task { [store = self.store, retention = self.config.retention, logger = self.logger] in
            guard retention != nil || prunesFeedback else { return }
            while !Task.isCancelled {
                do {
                    if let retention {
                        let removed = try await store.deleteFinishedCycles(
                            finishedBefore: Date().addingTimeInterval(-retention.maxAge.seconds), keepingLatest: retention.keepLatest)
                        if removed > 0 { logger.notice("retention removed finished cycles", metadata: ["count": "\(removed)"]) }
                    }
                    let feedback = try await controller.pruneFeedback()
                    if feedback > 0 { logger.notice("retention removed feedback records", metadata: ["count": "\(feedback)"]) }
                } catch {
                    logger.error("retention could not prune the store; it tries again later", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: retention?.interval ?? .seconds(3600))
            }
        }
        try await api.run()
        schedules.cancel()
        await schedules.value
        replication.cancel()
        await replication.value
        notifier.finish()
        notifications.cancel()
        pruning.cancel()
        await controller.stop()
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
