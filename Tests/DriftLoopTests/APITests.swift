import CurlHTTP
import DriftLoop
import DriftLoopServer
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The whole server on 127.0.0.1: API, built-in trainer over HTTP, SQLite store, through our libcurl client.
@Suite struct APITests {
    static let token = "test-token-123"

    func withServer(_ body: @Sendable (ServerEndpoints, APITestClient) async throws -> Void) async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(minImprovement: 0.005), maxBodyBytes: 4096, body)
    }

    @Test func driftWebhookRunsACycleThroughTheBuiltinTrainerToPromoted() async throws {
        try await self.withServer { endpoints, client in
            let accepted = try await client.post("/v1/webhooks/drift", ["pipeline": "churn", "source": "evidently", "event_id": "run-1"])
            #expect(accepted.status == 202)
            let cycleId = try #require(accepted.json["cycle_id"]?.stringValue)
            #expect(accepted.json["disposition"]?.stringValue == "started")
            let detail = try await client.waitForEnd(cycleId)
            #expect(detail["cycle"]?["outcome"]?.stringValue == "promoted")
            guard case .array(let transitions)? = detail["transitions"] else { Issue.record("no transitions"); return }
            #expect(transitions.compactMap { $0["to"]?.stringValue } == ["detect", "train", "await_training", "evaluate", "promote", "promoted"])
            #expect(detail["decisions"]?["training"]?["metrics"]?["challenger"]?["f1"]?.numberValue != nil)
            #expect(detail["decisions"]?["drift"]?["columns"] != nil)

            // The same event again is a duplicate of that cycle, not a new one.
            let again = try await client.post("/v1/webhooks/drift", ["pipeline": "churn", "source": "evidently", "event_id": "run-1"])
            #expect(again.json["disposition"]?.stringValue == "duplicate")
            #expect(again.json["cycle_id"]?.stringValue == cycleId)

            let pipelines = try await client.get("/v1/pipelines")
            #expect(
                pipelines.json["pipelines"].flatMap { if case .array(let list) = $0 { list.first } else { nil } }?["champion"]?["version"]?
                    .stringValue == "1")

            // A forced retrain trains on the same data: no improvement, so the challenger is rejected with its reason.
            let retrain = try await client.post("/v1/pipelines/churn/retrain", ["reason": "again", "force": true])
            #expect(retrain.status == 202)
            let second = try await client.waitForEnd(try #require(retrain.json["cycle_id"]?.stringValue))
            #expect(second["cycle"]?["outcome"]?.stringValue == "rejected")
            #expect(second["decisions"]?["evaluation"]?["rules"] != nil)

            // Rollback with no previous champion is refused; detail shows the history.
            let rollback = try await client.post("/v1/pipelines/churn/rollback", [:])
            #expect(rollback.status == 409)
            #expect(rollback.json["error"]?["code"]?.stringValue == "rollback_refused")
            let detailOfPipeline = try await client.get("/v1/pipelines/churn")
            #expect(detailOfPipeline.json["mermaid"]?.stringValue?.hasPrefix("stateDiagram-v2") == true)
            let cycles = try await client.get("/v1/cycles?pipeline=churn&limit=10")
            #expect(cycles.json["cycles"].flatMap { if case .array(let list) = $0 { list.count } else { nil } } == 2)
        }
    }

    @Test func badRequestsGetAClearErrorAndStoreNothing() async throws {
        try await self.withServer { endpoints, client in
            let noToken = try await client.post("/v1/pipelines/churn/retrain", [:], token: nil)
            #expect(noToken.status == 401)
            #expect(noToken.json["error"]?["field"]?.stringValue == "Authorization")
            let wrongToken = try await client.post("/v1/pipelines/churn/retrain", [:], token: "nope")
            #expect(wrongToken.status == 401)

            let malformed = try await client.postRaw("/v1/webhooks/drift", body: Data("{\"pipeline\": ".utf8))
            #expect(malformed.status == 400)
            #expect(malformed.json["error"]?["field"]?.stringValue == "body")

            let missingField = try await client.post("/v1/webhooks/drift", ["source": "x"])
            #expect(missingField.status == 400)
            #expect(missingField.json["error"]?["field"]?.stringValue == "pipeline")

            let wrongType = try await client.post("/v1/webhooks/drift", ["pipeline": "churn", "force": "yes"])
            #expect(wrongType.status == 400)
            #expect(wrongType.json["error"]?["field"]?.stringValue == "force")

            let unknown = try await client.post("/v1/pipelines/nope/retrain", [:])
            #expect(unknown.status == 404)
            #expect(unknown.json["error"]?["field"]?.stringValue == "pipeline")

            let oversized = try await client.postRaw(
                "/v1/webhooks/drift", body: Data(("{\"pipeline\":\"churn\",\"reason\":\"" + String(repeating: "x", count: 10_000) + "\"}").utf8))
            #expect(oversized.status == 413)
            #expect(oversized.json["error"]?["code"]?.stringValue == "body_too_large")

            let badLimit = try await client.get("/v1/cycles?limit=abc")
            #expect(badLimit.status == 400)
            #expect(badLimit.json["error"]?["field"]?.stringValue == "limit")

            let noRoute = try await client.get("/v1/nothing")
            #expect(noRoute.status == 404)
            #expect(noRoute.json["error"]?["code"]?.stringValue == "not_found")

            let noCycle = try await client.post("/v1/cycles/c-missing/cancel", [:])
            #expect(noCycle.status == 404)

            #expect(try await endpoints.controller.history.cycles(pipeline: nil, limit: 10).isEmpty)
            #expect(try await client.get("/healthz").status == 200)
            #expect(try await client.get("/readyz").status == 200)
        }
    }
}
