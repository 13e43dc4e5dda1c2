import DriftLoop
import Hummingbird
import Mustache

/// Everything the API's routes can reach. `buildRouter` takes it, so a test builds the same router around a
/// controller of its own and calls it in process.
struct ServerDependencies: Sendable {
    var controller: Controller
    var metrics: DriftLoopMetrics
    var driftChecks: LatestDriftChecks
    var statusTemplates: MustacheLibrary
    var authorizer: BearerTokenAuthorizer
    var bodies: RequestBodyDecoder
    /// `Host` names besides the loopback ones that requests may name (the listen address, the public URL's host).
    var allowedHostNames: [String]
    var webhooks: WebhookCredentials
}

/// The webhook settings with their secrets resolved.
struct WebhookCredentials: Sendable {
    /// Alertmanager's own bearer token; nil accepts the API token.
    var alertmanagerAuthorizer: BearerTokenAuthorizer?
    var pipelineLabel: String
    /// Signing secrets by source name.
    var signingSecrets: [String: String]
    var maxSkew: Duration

    /// Resolves the secrets `settings` names from `environment` (or the files it names).
    init(_ settings: WebhookSettings, environment: [String: String]) throws(ServerStartError) {
        var secrets: [String: String] = [:]
        for (source, secret) in settings.signingSecrets {
            guard let value = secret.resolve(environment: environment) else {
                throw ServerStartError(
                    "the signing secret of webhook source `\(source)` is not set (\(secret)); set it or remove the source from webhooks.signed.sources"
                )
            }
            secrets[source] = value
        }
        if let secret = settings.alertmanagerToken {
            guard let token = secret.resolve(environment: environment) else {
                throw ServerStartError("the Alertmanager token (\(secret)) is not set; set it or remove webhooks.alertmanager.token_env/token_file")
            }
            self.alertmanagerAuthorizer = BearerTokenAuthorizer(token: token)
        }
        self.pipelineLabel = settings.alertmanagerPipelineLabel
        self.signingSecrets = secrets
        self.maxSkew = settings.signatureMaxSkew
    }
}

/// The API server's router: middleware, then `/metrics`, the JSON API, the status page and the webhooks.
func buildRouter(_ dependencies: ServerDependencies) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.middlewares.add(SecurityHeaders())
    router.middlewares.add(RequestMetricsMiddleware(metrics: dependencies.metrics))
    router.middlewares.add(JSONErrorMiddleware())
    let routeMethods = RouteMethods()
    router.middlewares.add(MethodNotAllowedMiddleware(routes: routeMethods))
    router.middlewares.add(HostGuard(allowedNames: dependencies.allowedHostNames))
    router.middlewares.add(CrossOriginGuard(enabled: dependencies.authorizer.isOpen))
    MetricsRoutes(metrics: dependencies.metrics).register(on: router)
    APIRoutes(controller: dependencies.controller, authorizer: dependencies.authorizer, bodies: dependencies.bodies).register(on: router)
    StatusPageRoutes(
        controller: dependencies.controller, driftChecks: dependencies.driftChecks, authorizer: dependencies.authorizer,
        library: dependencies.statusTemplates
    ).register(on: router)
    WebhookRoutes(
        controller: dependencies.controller, authorizer: dependencies.authorizer,
        alertmanagerAuthorizer: dependencies.webhooks.alertmanagerAuthorizer,
        pipelineLabel: dependencies.webhooks.pipelineLabel, signingSecrets: dependencies.webhooks.signingSecrets,
        maxSkew: dependencies.webhooks.maxSkew,
        bodies: dependencies.bodies, metrics: dependencies.metrics
    ).register(on: router)
    routeMethods.record(router.routes)
    return router
}

/// The built-in trainer's router: only callers holding `token` are answered.
func buildTrainerRouter(service: BuiltinTrainingService, token: String, bodies: RequestBodyDecoder) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.middlewares.add(SecurityHeaders())
    router.middlewares.add(JSONErrorMiddleware())
    router.middlewares.add(HostGuard(allowedNames: []))
    BuiltinTrainerRoutes(
        service: service, authorizer: BearerTokenAuthorizer(tokens: [("controller", .approve, token)], readsNeedToken: true), bodies: bodies
    ).register(on: router)
    return router
}
