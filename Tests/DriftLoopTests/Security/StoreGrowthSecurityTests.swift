import CurlHTTP
import Foundation
import Testing

@testable import DriftLoop
@testable import DriftLoopServer

/// Finding 7: one caller could grow the store and every answer that quotes it without bound.
@Suite struct StoreGrowthSecurityTests {
    @Test func aCycleShowsAPageOfItsTriggersAndPagesTheRest() async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(awaitPoll: "20ms"), maxBodyBytes: 1 << 20, transport: .live) {
            endpoints, client in
            let controller = endpoints.controller
            // 250 triggers that all join one cycle (duplicates of one event id), stored as the webhook stores them.
            let triggers = (0..<250).map { index in
                Trigger(kind: .driftWebhook, source: "probe", reason: String(repeating: "r", count: 4000) + "\(index)", dedupKey: "drift:probe:same")
            }
            let acceptances = try await controller.submit(pipeline: "churn", triggers: triggers)
            let cycle = try #require(acceptances.first?.cycleId)
            #expect(Set(acceptances.map(\.cycleId)).count == 1)
            _ = try await client.waitForEnd(cycle)
            let detail = try await client.get("/v1/cycles/\(cycle)")
            #expect(detail.json["triggers"]?.arrayValue?.count == 100)
            #expect(detail.json["triggers_total"]?.numberValue == 250)
            let next = try #require(detail.json["more_triggers"]?.stringValue)
            var seen = detail.json["triggers"]?.arrayValue?.count ?? 0
            var page = next
            while true {
                let reply = try await client.get(page)
                #expect(reply.status == 200)
                seen += reply.json["triggers"]?.arrayValue?.count ?? 0
                guard let following = reply.json["next"]?.stringValue else { break }
                page = following
            }
            #expect(seen == 250)
            #expect(try await client.get("/v1/cycles/\(cycle)/triggers?limit=0").status == 400)
            #expect(try await client.get("/v1/cycles/nope/triggers").status == 404)
            let html = try await CurlHTTPClient().send(CurlHTTP.HTTPRequest(url: endpoints.apiURL + "/cycles/\(cycle)"))
            #expect(html.text.components(separatedBy: "<td class=\"details\">").count - 1 <= 100 + 10)
            #expect(html.text.contains("150 more"))
            #expect(html.text.utf8.count < 700_000, "the page stays bounded: \(html.text.utf8.count) bytes")
        }
    }

    @Test func aTokenOverItsRateLimitIsToldToWait() async throws {
        try await LiveServer.run(
            pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20, configYAML: "rate_limit: {per_second: 0.05, burst: 3}", transport: .live
        ) { endpoints, client in
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await client.post("/v1/pipelines/churn/pause", ["actor": "x"]).status) }
            #expect(statuses.prefix(3).allSatisfy { $0 == 200 })
            #expect(statuses.last == 429)
            let limited = try await AuthHeaders.post(endpoints.apiURL + "/v1/pipelines/churn/resume", token: APITests.token)
            #expect(limited.status == 429)
            #expect(limited.retryAfter.flatMap(Int.init).map { $0 >= 1 } == true)
        }
        let limiter = TokenRateLimiter(settings: RateLimitSettings(perSecond: 2, burst: 2))
        #expect(limiter.take("a", now: .zero) == nil)
        #expect(limiter.take("a", now: .zero) == nil)
        #expect(limiter.take("a", now: .zero) != nil)
        #expect(limiter.take("b", now: .zero) == nil, "each token has its own bucket")
        #expect(limiter.take("a", now: .milliseconds(500)) == nil, "refilled at 2/s")
    }

    // Pruning itself is a store-contract case (`feedbackRetention`), run against SQLite and PostgreSQL.

    @Test func theControllerPrunesFeedbackByEachPipelinesRetention() async throws {
        let harness = try ControllerHarness(yaml: TestData.pipelineYAML() + "\nfeedback_retention: {max_records: 3}\n")
        let controller = Controller(
            pipelines: [harness.pipeline], store: harness.store,
            services: { _ in PipelineServices(trainer: harness.trainer, registry: harness.registry, dataLoader: DataLoader(client: .init())) },
            logger: TestData.quietLogger)
        _ = try await controller.ingestFeedback(pipeline: "churn", records: (0..<10).map { FeedbackRecord(id: "r\($0)", prediction: "1") })
        #expect(try await controller.pruneFeedback() == 7)
        #expect(try await controller.pruneFeedback() == 0)
        await controller.stop()
    }

    @Test func feedbackRetentionIsDeclaredPerPipeline() throws {
        let directory = TemporaryDirectory()
        let pipeline = try TestData.pipeline(
            TestData.pipelineYAML() + "\nfeedback_retention: {max_age: 30d, max_records: 5000}\n", directory: directory)
        #expect(pipeline.feedbackRetention == FeedbackRetention(maxAge: .seconds(30 * 86_400), maxRecords: 5000))
        #expect(throws: DiagnosticsError.self) { try TestData.pipeline(TestData.pipelineYAML() + "\nfeedback_retention: {}\n", directory: directory) }
    }
}

/// A POST with a bearer token, keeping the answer's headers.
enum AuthHeaders {
    static func post(_ url: String, token: String) async throws -> (status: Int, retryAfter: String?) {
        let response = try await CurlHTTPClient().send(
            CurlHTTP.HTTPRequest(
                method: "POST", url: url, headers: [("Content-Type", "application/json")], body: Data("{}".utf8),
                authentication: .bearer(token: token)))
        return (response.status, response.headers.first { $0.name.lowercased() == "retry-after" }?.value)
    }
}
