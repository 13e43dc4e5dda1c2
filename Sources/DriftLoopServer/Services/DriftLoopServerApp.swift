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
    package var trainerPort: Int
    public var controller: Controller
    /// The built-in trainer's per-process bearer token (in process only: never logged or written anywhere).
    package var trainerToken: String

    package init(apiPort: Int, trainerPort: Int, controller: Controller, trainerToken: String) {
        self.apiPort = apiPort
        self.trainerPort = trainerPort
        self.controller = controller
        self.trainerToken = trainerToken
    }

    public var apiURL: String { "http://127.0.0.1:\(self.apiPort)" }
}

/// The controller's server, built and not yet running: an `Application` whose services are the built-in trainer and
/// the background loops, and the controller it serves. Run `application` (it is a `Service`), or test it in process.
package struct DriftLoopApplication: Sendable {
    package var application: Application<RouterResponder<BasicRequestContext>>
    package let controller: Controller
    /// Where the built-in trainer listens, once bound.
    package let trainerEndpoint: BuiltinTrainerEndpoint
    /// The built-in trainer's per-process bearer token (in process only: never logged or written anywhere).
    package let trainerToken: String
}

/// Builds the running controller: store, built-in registry and trainer, the controller, and the API server.
public enum DriftLoopServerApp {
    /// Everything `serve` and `demo` run, as one `ServiceGroup`. Run it; trigger its graceful shutdown to stop.
    public static func makeServiceGroup(
        config: ControllerConfig, pipelines: [PipelineDefinition], apiToken: String?, logger: Logger, handlesSignals: Bool = true,
        // `PipelineController.TransitionObserver`, spelled out: the benchmarks package sees only public types.
        observer: (@Sendable (_ cycleId: String, _ from: String, _ to: String, _ outcome: String) async -> Void)? = nil,
        onReady: @escaping @Sendable (ServerEndpoints) async -> Void = { _ in }
    ) async throws -> ServiceGroup {
        let built = try await self.buildApplication(
            config: config, pipelines: pipelines, apiToken: apiToken, logger: logger, observer: observer, onReady: onReady)
        return ServiceGroup(
            configuration: .init(
                services: [built.application], gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [], logger: logger))
    }

    /// The whole server, wired and not yet running. Its router is `buildRouter`'s; its services, in start order, are the
    /// built-in trainer, the notifier, the controller, the feedback monitors, retention, replication and schedules.
    /// Graceful shutdown runs in reverse: the API drains, the loops stop, the controller waits for running actions to
    /// commit, the notifier sends what they committed, and the trainer stops last. Unfinished cycles resume before the
    /// API binds.
    package static func buildApplication(
        config: ControllerConfig, pipelines: [PipelineDefinition], apiToken: String?, logger: Logger,
        observer: PipelineController.TransitionObserver? = nil, onReady: @escaping @Sendable (ServerEndpoints) async -> Void = { _ in }
    ) async throws -> DriftLoopApplication {
        var tokens: [(name: String, role: APIRole, token: String)] = apiToken.map { [(name: "api", role: APIRole.approve, token: $0)] } ?? []
        let environment = ProcessInfo.processInfo.environment
        for token in config.apiTokens {
            guard let value = token.secret.resolve(environment: environment) else {
                throw ServerStartError("API token `\(token.name)` is not set (\(token.secret)); set it or remove it from api_tokens in config.yaml")
            }
            tokens.append((token.name, token.role, value))
        }
        try ListenPreflight.check(config.listen)
        let authorizer = BearerTokenAuthorizer(tokens: tokens, readsNeedToken: !config.apiTokens.isEmpty, rateLimit: config.rateLimit)
        if authorizer.isOpen, !config.listen.isLoopback {
            throw ServerStartError(
                "refusing to listen on \(config.listen) without an API token: set \(config.apiTokenEnvironmentVariable), or listen on 127.0.0.1")
        }
        if authorizer.isOpen {
            logger.warning("API authentication is off: set \(config.apiTokenEnvironmentVariable) to require a bearer token")
        }
        let webhooks = try WebhookCredentials(config.webhooks, environment: environment)
        let statusTemplates: MustacheLibrary
        do {
            statusTemplates = try StatusPageTemplates.library()
        } catch {
            throw ServerStartError("the status page templates do not parse: \(error)")
        }
        let store: any CycleStore
        var storeLock: SQLiteControllerLock?
        do {
            if case .sqlite(let path) = config.store {
                storeLock = try SQLiteControllerLock(storePath: path, holder: .current(listen: "\(config.listen)"))
            }
            store = try await CycleStoreOpener.open(config.store, environment: environment, logger: logger)
        } catch let error as StoreOpenError {
            throw ServerStartError(error.message)
        }
        let heldStoreLock = storeLock
        let dataDirectory = config.dataDirectory
        try PrivateDirectory.create(dataDirectory)
        let bodies = RequestBodyDecoder(maxBytes: config.maxBodyBytes, readTimeout: config.bodyReadTimeout)

        // The built-in trainer. It shares a secret made for this process with the controller: its port is on
        // loopback, which every local user and sidecar can reach.
        let trainingService = try BuiltinTrainingService(
            directory: (dataDirectory as NSString).appendingPathComponent("trainer"), policy: TrainingRequestPolicy(pipelines), logger: logger)
        let trainerToken = TrainerCredential.random()
        let trainerEndpoint = BuiltinTrainerEndpoint()
        var trainerApp = Application(
            router: buildTrainerRouter(service: trainingService, token: trainerToken, bodies: bodies),
            configuration: .init(address: .hostname("127.0.0.1", port: config.builtinTrainerPort), serverName: "driftloop-trainer"),
            onServerRunning: { channel in trainerEndpoint.bound(port: channel.localAddress?.port ?? 0) },
            logger: logger)
        trainerApp.beforeServerStarts { await trainingService.resumeUnfinished() }

        let client = CurlHTTPClient()
        let registry = BuiltinRegistry(directory: (dataDirectory as NSString).appendingPathComponent("registry"))
        let builtinTrainer = BuiltinTrainerAccess(endpoint: trainerEndpoint, token: trainerToken)
        let publicURL = config.effectivePublicURL
        let metrics = DriftLoopMetrics(history: CycleHistory(store: store), pipelines: pipelines)
        let notifier: CycleNotifier
        do {
            notifier = try CycleNotifier(
                settings: config.notifications, environment: environment, store: store, client: client, publicURL: publicURL, logger: logger,
                retryDelay: config.notificationRetryDelay)
        } catch {
            throw ServerStartError("\(error); set it, or remove that entry from notifications in config.yaml")
        }
        var leases: LeaseKeeper?
        if let leaseStore = store as? any LeaseStore {
            let owner = config.replica.id ?? ReplicaIdentity.defaultId(listenPort: config.listen.port)
            leases = LeaseKeeper(owner: owner, store: leaseStore, pipelines: pipelines.map(\.name), ttl: config.replica.leaseTTL, logger: logger)
            logger.notice("running as a replica: pipelines are leased through the store", metadata: ["replica": "\(owner)"])
        }
        let driftChecks = LatestDriftChecks()
        let modelsFolder = (dataDirectory as NSString).appendingPathComponent("trainer/models")
        let controller = Controller(
            pipelines: pipelines, store: store,
            services: { pipeline in
                PipelineServices(
                    trainer: InstrumentedTrainer(
                        base: TrainerFactory.make(pipeline.trainer, builtin: builtinTrainer, environment: environment, client: client),
                        meter: CallMeter(metrics: metrics, pipeline: pipeline.name, kind: "trainer", system: pipeline.trainer.kind.rawValue)),
                    registry: InstrumentedRegistry(
                        base: RegistryFactory.make(pipeline.registry, builtin: registry, environment: environment, client: client),
                        meter: CallMeter(metrics: metrics, pipeline: pipeline.name, kind: "registry", system: pipeline.registry.kind.rawValue)),
                    dataLoader: DataLoader(client: client, feedback: store, environment: environment, s3: config.s3, logger: logger),
                    publicURL: publicURL,
                    modelRoots: ModelRoots(pipeline.trainer.modelRoots + [modelsFolder]))
            },
            logger: logger,
            observer: { cycleId, from, to, outcome in
                await metrics.transition(cycleId: cycleId, from: from, to: to, outcome: outcome)
                notifier.transition(cycleId: cycleId, from: from, to: to)
                await observer?(cycleId, from, to, outcome)
            },
            triggerObserver: { pipeline, trigger, acceptance in metrics.triggerAccepted(pipeline: pipeline, trigger: trigger, acceptance: acceptance)
            },
            driftObserver: { pipeline, report in
                metrics.recordDrift(pipeline: pipeline, report)
                driftChecks.record(pipeline: pipeline, report: report)
            },
            slots: CycleSlots(limit: config.maxConcurrentCycles), leases: leases)

        let router = buildRouter(
            ServerDependencies(
                controller: controller, metrics: metrics, driftChecks: driftChecks, statusTemplates: statusTemplates, authorizer: authorizer,
                bodies: bodies, allowedHostNames: config.allowedHostNames, webhooks: webhooks))
        var api = Application(
            router: router,
            // Connections that send nothing for this long are closed, also when a request stalls half-sent.
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(config.listen.host, port: config.listen.port), serverName: "driftloop"),
            services: (heldStoreLock.map { [StoreLockService(lock: $0)] } ?? []) + [
                trainerApp, NotificationService(notifier: notifier), ControllerService(controller: controller),
                FeedbackMonitorService(controller: controller), RetentionService(controller: controller, retention: config.retention, logger: logger),
                ReplicationService(controller: controller, poll: config.replica.poll), ScheduleService(controller: controller),
            ],
            onServerRunning: { channel in
                if let heldStoreLock, let port = channel.localAddress?.port {
                    heldStoreLock.record(.current(listen: "\(config.listen.host):\(port)"))
                }
                let trainerPort = (try? await trainerEndpoint.url()).flatMap { URL(string: $0)?.port } ?? 0
                await onReady(
                    ServerEndpoints(
                        apiPort: channel.localAddress?.port ?? 0, trainerPort: trainerPort, controller: controller, trainerToken: trainerToken))
            },
            logger: logger)
        api.beforeServerStarts {
            let resumed = try await controller.resumeRunningCycles()
            if resumed > 0 { logger.notice("resumed unfinished cycles", metadata: ["count": "\(resumed)"]) }
        }
        return DriftLoopApplication(application: api, controller: controller, trainerEndpoint: trainerEndpoint, trainerToken: trainerToken)
    }
}

/// The server cannot start; the message says why and what to change.
package struct ServerStartError: Error, Sendable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { self.message }
}
