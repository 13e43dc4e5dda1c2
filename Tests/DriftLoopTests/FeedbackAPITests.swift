import DriftLoop
import Foundation
import Testing

/// Feedback over HTTP into a live server: the error rate jumps, a cycle starts with its evidence; bad batches
/// are refused whole with the field named.
@Suite struct FeedbackAPITests {
    static let yaml = FeedbackMonitoringTests.yaml(detectors: "[{detector: ddm, input: error}]", decay: "[{metric: accuracy, drop: 0.1, windows: 2}]")

    static func body(_ records: [FeedbackRecord]) -> JSONValue {
        .array(
            records.map { record in
                [
                    "id": .string(record.id), "prediction": record.prediction.map(JSONValue.string) ?? .null,
                    "label": record.label.map(JSONValue.string) ?? .null,
                ]
            })
    }

    static func waitForMonitor(_ client: APITestClient, through seq: Double) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let detail = try await client.get("/v1/pipelines/churn")
            if let through = detail.json["monitoring"]?["labelled_through"]?.numberValue, through >= seq { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the monitor never reached labelled record \(seq)")
    }

    @Test func errorRateJumpOverHTTPStartsACycleWithItsExplanation() async throws {
        try await LiveServer.run(pipelineYAML: Self.yaml, maxBodyBytes: 1 << 20) { _, client in
            for start in stride(from: 0, to: 1000, by: 250) {
                let reply = try await client.post(
                    "/v1/pipelines/churn/feedback",
                    Self.body(FeedbackMonitoringTests.records(start..<(start + 250), isError: FeedbackMonitoringTests.calm(_:))))
                #expect(reply.status == 202)
                #expect(reply.json["accepted"]?.numberValue == 250)
            }
            try await Self.waitForMonitor(client, through: 1000)
            let before = try await client.get("/v1/cycles?pipeline=churn")
            #expect(before.json["cycles"] == .array([]), "no cycle before the jump")

            // JSON lines this time.
            let lines = FeedbackMonitoringTests.records(1000..<1600, isError: FeedbackMonitoringTests.degraded(_:))
                .map { #"{"id": "\#($0.id)", "prediction": \#($0.prediction!), "label": \#($0.label!)}"# }.joined(separator: "\n")
            let reply = try await client.postRaw("/v1/pipelines/churn/feedback", body: Data(lines.utf8))
            #expect(reply.status == 202)
            #expect(reply.json["accepted"]?.numberValue == 600)
            try await Self.waitForMonitor(client, through: 1600)
            let after = try await client.get("/v1/cycles?pipeline=churn")
            guard case .array(let cycles)? = after.json["cycles"], let first = cycles.first, let id = first["id"]?.stringValue else {
                Issue.record("no cycle after the jump: \(after.json)")
                return
            }
            #expect(cycles.count == 1)
            let detail = try await client.waitForEnd(id)
            let kind = detail["cycle"]?["kind"]?.stringValue
            #expect(kind == "concept_drift" || kind == "performance_decay")
            let trigger = detail["decisions"]?["trigger"]
            #expect(trigger?["kind"]?.stringValue == kind)
            if kind == "concept_drift" {
                #expect(trigger?["evidence"]?["detector"]?.stringValue == "ddm")
                #expect((trigger?["evidence"]?["index"]?.numberValue ?? 0) >= 1000)
            } else {
                #expect(trigger?["evidence"]?["metric"]?.stringValue == "accuracy")
            }
        }
    }

    @Test func badBatchesAreRefusedWholeWithTheFieldNamed() async throws {
        try await LiveServer.run(pipelineYAML: Self.yaml, maxBodyBytes: 4096) { _, client in
            let missingId = try await client.post("/v1/pipelines/churn/feedback", [["id": "a", "prediction": "1"], ["prediction": "0"]])
            #expect(missingId.status == 400)
            #expect(missingId.json["error"]?["field"]?.stringValue == "records[1].id")

            let badScore = try await client.post("/v1/pipelines/churn/feedback", [["id": "a", "prediction": "1", "score": 3]])
            #expect(badScore.json["error"]?["field"]?.stringValue == "records[0].score")

            let badLine = try await client.postRaw(
                "/v1/pipelines/churn/feedback", body: Data("{\"id\": \"a\", \"label\": 1}\n{\"id\": \"b\"}\n".utf8))
            #expect(badLine.status == 400)
            #expect(badLine.json["error"]?["field"]?.stringValue?.hasPrefix("line 2") == true)

            let unknown = try await client.post("/v1/pipelines/nope/feedback", [["id": "a", "prediction": "1"]])
            #expect(unknown.status == 404)
            let unauthorized = try await client.post("/v1/pipelines/churn/feedback", [["id": "a", "prediction": "1"]], token: nil)
            #expect(unauthorized.status == 401)
            let tooLarge = try await client.postRaw("/v1/pipelines/churn/feedback", body: Data(repeating: UInt8(ascii: " "), count: 8192))
            #expect(tooLarge.status == 413)

            // Nothing from the refused batches was stored: "a" is new when sent properly.
            let good = try await client.post(
                "/v1/pipelines/churn/feedback", [["id": "a", "prediction": 1, "label": 1, "timestamp": "2026-11-22T10:00:00Z"]])
            #expect(good.status == 202)
            #expect(good.json["accepted"]?.numberValue == 1)
        }
    }
}
