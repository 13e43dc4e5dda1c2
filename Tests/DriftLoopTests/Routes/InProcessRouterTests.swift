import DriftLoop
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DriftLoopServer

/// The API's router, built by `buildRouter` around a controller of the test's own and called in process: no socket,
/// no port, no built-in trainer.
@Suite struct InProcessRouterTests {
    static let token = "in-process-token"

    struct Server {
        let harness: ControllerHarness
        let controller: Controller
        let app: Application<RouterResponder<BasicRequestContext>>
    }

    static func server() throws -> Server {
        let harness = try ControllerHarness()
        let controller = Controller(
            pipelines: [harness.pipeline], store: harness.store,
            services: { _ in PipelineServices(trainer: harness.trainer, registry: harness.registry, dataLoader: DataLoader(client: .init())) },
            logger: TestData.quietLogger)
        let router = buildRouter(
            ServerDependencies(
                controller: controller, metrics: DriftLoopMetrics(history: controller.history, pipelines: [harness.pipeline]),
                driftChecks: LatestDriftChecks(), statusTemplates: try StatusPageTemplates.library(),
                authorizer: BearerTokenAuthorizer(token: Self.token), bodies: RequestBodyDecoder(maxBytes: 64 * 1024), allowedHostNames: [],
                webhooks: try WebhookCredentials(WebhookSettings(), environment: [:])))
        return Server(harness: harness, controller: controller, app: Application(router: router))
    }

    static func json(_ buffer: ByteBuffer) -> JSONValue {
        JSONValue.parse(String(buffer: buffer)) ?? .null
    }

    static var authorized: HTTPFields { [.authorization: "Bearer \(Self.token)", .contentType: "application/json"] }

    @Test func pipelinesAreListedAndAPauseIsRecordedThroughTheController() async throws {
        let server = try Self.server()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/v1/pipelines", method: .get, headers: Self.authorized) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response.body)["pipelines"]?.arrayValue?.first?["name"]?.stringValue == "churn")
            }
            try await client.execute(
                uri: "/v1/pipelines/churn/pause", method: .post, headers: Self.authorized,
                body: ByteBuffer(string: #"{"actor":"ops","reason":"freeze"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(Self.json(response.body)["changed"] == true)
            }
        }
        #expect(try await server.controller.history.pausedPipelines().map(\.pipeline) == ["churn"])
    }

    @Test func aBadFieldIsA400NamingItAndNothingIsStored() async throws {
        let server = try Self.server()
        try await server.app.test(.router) { client in
            try await client.execute(
                uri: "/v1/pipelines/churn/retrain", method: .post, headers: Self.authorized, body: ByteBuffer(string: #"{"force":"yes"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(Self.json(response.body)["error"]?["field"]?.stringValue == "force")
            }
            try await client.execute(uri: "/v1/pipelines/nope/retrain", method: .post, headers: Self.authorized, body: ByteBuffer(string: "{}")) {
                response in
                #expect(response.status == .notFound)
            }
            try await client.execute(
                uri: "/v1/pipelines/churn/retrain", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}")
            ) {
                response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(try await server.controller.history.cycles(pipeline: nil, limit: 10).isEmpty)
    }

    @Test func aRetrainRunsTheCycleAndTheMetricsCountIt() async throws {
        let server = try Self.server()
        try await server.app.test(.router) { client in
            let cycleId = try await client.execute(
                uri: "/v1/pipelines/churn/retrain", method: .post, headers: Self.authorized, body: ByteBuffer(string: #"{"reason":"in process"}"#)
            ) { response in
                #expect(response.status == .accepted)
                return try #require(Self.json(response.body)["cycle_id"]?.stringValue)
            }
            await server.controller.waitForCycle(cycleId)
            try await client.execute(uri: "/v1/cycles/\(cycleId)", method: .get, headers: Self.authorized) { response in
                #expect(Self.json(response.body)["cycle"]?["status"]?.stringValue == "finished")
            }
            try await client.execute(uri: "/metrics", method: .get, headers: Self.authorized) { response in
                #expect(String(buffer: response.body).contains("driftloop_build_info"))
            }
        }
        await server.controller.stop()
    }
}

/// A body that is JSON but not an object is named as such, in the API's words, not Swift's.
@Suite struct NonObjectBodyTests {
    @Test(arguments: ["[]", "null", "\"text\"", "3"])
    func aBodyThatIsNotAnObjectIsA400NamingTheBody(_ body: String) async throws {
        let server = try InProcessRouterTests.server()
        try await server.app.test(.router) { client in
            try await client.execute(
                uri: "/v1/pipelines/churn/retrain", method: .post, headers: InProcessRouterTests.authorized, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest)
                let error = InProcessRouterTests.json(response.body)["error"]
                #expect(error?["field"]?.stringValue == "body", "\(String(buffer: response.body))")
                #expect(error?["message"]?.stringValue?.hasPrefix("the body must be a JSON object") == true, "\(String(buffer: response.body))")
                #expect(String(buffer: response.body).contains("Dictionary") == false)
            }
        }
        #expect(try await server.harness.store.cycles(pipeline: "churn", limit: 10).isEmpty)
    }
}

/// A known path asked with a method it does not serve: 405 with `Allow`, not 404.
@Suite struct MethodNotAllowedTests {
    @Test func theWrongMethodOnAKnownRouteIs405WithAllow() async throws {
        let server = try InProcessRouterTests.server()
        try await server.app.test(.router) { client in
            try await client.execute(uri: "/v1/pipelines/churn/retrain", method: .get, headers: InProcessRouterTests.authorized) { response in
                #expect(response.status == .methodNotAllowed, "\(String(buffer: response.body))")
                #expect(response.headers[.allow] == "POST")
                #expect(InProcessRouterTests.json(response.body)["error"]?["code"]?.stringValue == "method_not_allowed")
            }
            try await client.execute(uri: "/v1/pipelines", method: .delete, headers: InProcessRouterTests.authorized) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
            // An unknown path stays 404.
            try await client.execute(uri: "/v1/nothing-here", method: .get, headers: InProcessRouterTests.authorized) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

/// A misspelled key in a request body is refused, naming it and the keys the body takes; nothing is stored.
@Suite struct UnknownBodyKeyTests {
    @Test func aMisspelledKeyIsA400NamingItAndTheAllowedOnes() async throws {
        let server = try InProcessRouterTests.server()
        try await server.app.test(.router) { client in
            try await client.execute(
                uri: "/v1/pipelines/churn/retrain", method: .post, headers: InProcessRouterTests.authorized,
                body: ByteBuffer(string: #"{"reasn": "x"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let error = InProcessRouterTests.json(response.body)["error"]
                #expect(error?["field"]?.stringValue == "reasn", "\(String(buffer: response.body))")
                #expect(
                    error?["message"]?.stringValue == "unknown field `reasn`; the body takes `reason`, `force`, `requested_by`",
                    "\(String(buffer: response.body))")
            }
            try await client.execute(
                uri: "/v1/pipelines/churn/pause", method: .post, headers: InProcessRouterTests.authorized,
                body: ByteBuffer(string: #"{"actor": "ops", "why": "x"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(InProcessRouterTests.json(response.body)["error"]?["field"]?.stringValue == "why")
            }
            // The known keys still pass.
            try await client.execute(
                uri: "/v1/pipelines/churn/retrain", method: .post, headers: InProcessRouterTests.authorized,
                body: ByteBuffer(string: #"{"reason": "x", "requested_by": "ops", "force": true}"#)
            ) { response in
                #expect(response.status == .accepted, "\(String(buffer: response.body))")
            }
        }
        #expect(try await server.controller.history.pausedPipelines().isEmpty)
    }
}
