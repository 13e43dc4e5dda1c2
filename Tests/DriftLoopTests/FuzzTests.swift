import DriftStats
import Foundation
import Testing

@testable import DriftLoop

/// Seeded fuzzing of everything driftloop reads from people and programs: the config and pipeline loaders, and every
/// JSON body the API takes. A loader answers a pipeline or diagnostics that point into the file; the API answers a
/// documented status with a JSON body, never a 5xx, and keeps serving.
@Suite struct FuzzTests {
    static let seed: UInt64 = 20_261_201

    static let configYAML = """
        listen: "127.0.0.1:8080"
        data_dir: data
        store: {kind: sqlite, path: data/d.sqlite}
        max_concurrent_cycles: 2
        retention: {max_age: 30d, keep_latest: 5}
        replica: {lease_ttl: 10s, poll: 1s}
        api_tokens:
          - {name: ci, role: trigger, token_env: CI_TOKEN}
        webhooks:
          alertmanager: {pipeline_label: pipeline}
          signed: {max_skew: 5m, sources: {ci: {secret_env: S}}}
        notifications:
          - {kind: slack, url_env: SLACK, events: [promoted, failed]}

        """

    static func checkDiagnostics(_ error: DiagnosticsError, in text: String, seed: UInt64) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(!error.diagnostics.isEmpty, "seed \(seed): an error without a diagnostic")
        for diagnostic in error.diagnostics {
            #expect(diagnostic.location.line >= 1 && diagnostic.location.line <= lines + 1, "seed \(seed): \(diagnostic) is outside the file")
            #expect(!diagnostic.message.isEmpty)
        }
    }

    @Test func mutatedPipelinesAndConfigsLoadOrAreRefusedWithPositions() throws {
        let directory = TemporaryDirectory()
        let pipeline = Array(TestData.pipelineYAML().utf8)
        let config = Array(Self.configYAML.utf8)
        var random = SplitMix64(seed: Self.seed)
        var refused = 0
        for iteration in 0..<1500 {
            let caseSeed = Self.seed &+ UInt64(iteration)
            let isPipeline = iteration % 2 == 0
            let text = String(decoding: random.mutate(isPipeline ? pipeline : config), as: UTF8.self)
            do {
                if isPipeline {
                    _ = try PipelineLoader.parse(text, file: directory.file("p.yaml"), defaultName: "p", baseDirectory: directory.path)
                } else {
                    _ = try ControllerConfig.parse(text, file: directory.file("config.yaml"), baseDirectory: directory.path)
                }
            } catch {
                refused += 1
                Self.checkDiagnostics(error, in: text, seed: caseSeed)
            }
        }
        // Most mutations break something; a fuzzer that never reached the refusals would test nothing.
        #expect(refused > 500, "only \(refused) of 1500 mutations were refused")
    }

    /// Valid bodies for every POST route, to mutate.
    static func bodies(cycleId: String) -> [(path: String, body: String)] {
        [
            ("/v1/pipelines/churn/retrain", #"{"reason": "fuzz", "requested_by": "ci", "force": false}"#),
            ("/v1/pipelines/churn/rollback", #"{"to_version": "1", "reason": "fuzz", "actor": "ci"}"#),
            ("/v1/pipelines/churn/pause", #"{"actor": "ci", "reason": "fuzz"}"#),
            ("/v1/pipelines/churn/resume", #"{"actor": "ci"}"#),
            (
                "/v1/pipelines/churn/feedback",
                #"[{"id": "r1", "timestamp": "2026-12-01T00:00:00Z", "prediction": "1", "score": 0.7, "label": "0", "features": {"a": 1}}]"#
            ),
            ("/v1/cycles/\(cycleId)/cancel", "{}"),
            ("/v1/cycles/\(cycleId)/approve", #"{"approver": "alice", "comment": "ok"}"#),
            ("/v1/cycles/\(cycleId)/reject", #"{"approver": "bob"}"#),
            ("/v1/webhooks/drift", #"{"pipeline": "churn", "source": "evidently", "event_id": "e1", "reason": "fuzz", "payload": {"share": 0.5}}"#),
            (
                "/v1/webhooks/alertmanager",
                #"{"version": "4", "status": "firing", "receiver": "driftloop", "groupKey": "g", "alerts": [{"status": "firing", "labels": {"alertname": "Drift", "pipeline": "churn"}, "annotations": {}, "startsAt": "2026-12-01T00:00:00Z", "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "f1"}]}"#
            ),
        ]
    }

    @Test func mutatedJSONBodiesGetDocumentedStatusesWithJSONErrors() async throws {
        let documented: Set<Int> = [200, 202, 400, 401, 403, 404, 409, 413, 415, 422]
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(cooldown: "10m"), maxBodyBytes: 64 * 1024) { _, client in
            let first = try #require(try await client.post("/v1/pipelines/churn/retrain", ["reason": "seed cycle"]).json["cycle_id"]?.stringValue)
            _ = try await client.waitForEnd(first)
            let routes = Self.bodies(cycleId: first)
            var random = SplitMix64(seed: Self.seed)
            var statuses: [Int: Int] = [:]
            for iteration in 0..<1200 {
                let route = routes[iteration % routes.count]
                let body = Data(random.mutate(Array(route.body.utf8)))
                let reply = try await client.postRaw(route.path, body: body)
                statuses[reply.status, default: 0] += 1
                #expect(
                    documented.contains(reply.status),
                    "seed \(Self.seed) iteration \(iteration): \(route.path) answered \(reply.status) to \(String(decoding: body, as: UTF8.self))")
                if reply.status >= 400 {
                    #expect(
                        reply.json["error"]?["code"]?.stringValue != nil, "iteration \(iteration): \(route.path) \(reply.status) without a JSON error"
                    )
                }
            }
            #expect(statuses.keys.contains(400), "the mutations reached the validation: \(statuses)")
            #expect(try await client.get("/healthz").status == 200, "the server still serves")
        }
    }
}
