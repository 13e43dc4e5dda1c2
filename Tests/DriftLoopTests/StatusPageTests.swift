import CurlHTTP
import DriftLoop
import DriftLoopServer
import Foundation
import Testing

/// The HTML status page over HTTP, after real cycles: `GET /` and `GET /cycles/{id}`.
@Suite struct StatusPageTests {
    static let hostileReason = #"<script>alert("pwned")</script> & <b>bold</b>"#

    struct Page {
        var status: Int
        var contentType: String
        var html: String

        func count(_ needle: String) -> Int { self.html.components(separatedBy: needle).count - 1 }
    }

    func page(_ client: APITestClient, _ path: String) async throws -> Page {
        let response = try await client.send("GET", path)
        return Page(status: response.status, contentType: response.header("Content-Type") ?? "", html: response.text)
    }

    /// The page is self-contained: no scripts, no stylesheets or images from elsewhere.
    func expectSelfContained(_ page: Page, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for external in ["<script", "<link", "src=", "href=\"http", "href=\"//", "@import", "url("] {
            #expect(!page.html.contains(external), "the page contains \(external)", sourceLocation: sourceLocation)
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.4g", value) }

    @Test func overviewAndCyclePagesShowChampionOutcomeTransitionsDriftAndComparisonEscaped() async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(minImprovement: 0.005), maxBodyBytes: 1 << 20) { _, client in
            let empty = try await self.page(client, "/")
            #expect(empty.status == 200)
            #expect(empty.html.contains("churn") && empty.html.contains("none yet") && empty.html.contains("no cycle yet"))

            // A drift webhook promotes the first champion; a forced retrain on the same data is rejected against it.
            let first = try #require(
                try await client.post("/v1/webhooks/drift", ["pipeline": "churn", "source": "evidently"]).json["cycle_id"]?.stringValue)
            _ = try await client.waitForEnd(first)
            let retrain = try await client.post("/v1/pipelines/churn/retrain", ["reason": .string(Self.hostileReason), "force": true])
            let second = try #require(retrain.json["cycle_id"]?.stringValue)
            let detail = try await client.waitForEnd(second)
            #expect(detail["cycle"]?["outcome"]?.stringValue == "rejected")

            let overview = try await self.page(client, "/")
            #expect(overview.status == 200)
            #expect(overview.contentType.hasPrefix("text/html"))
            #expect(overview.html.hasPrefix("<!DOCTYPE html>"))
            #expect(overview.html.contains(#"<meta http-equiv="refresh" content="10">"#))
            #expect(overview.count(#"<tr class="pipeline">"#) == 1)
            #expect(overview.html.contains(#"<div class="strong">churn</div>"#))
            #expect(overview.html.contains("churn-model"))
            #expect(overview.html.contains(#"<span class="version">v1</span>"#), "champion version 1")
            #expect(overview.html.contains(#"<a class="mono" href="/cycles/\#(second)">\#(second)</a>"#), "the last cycle, linked")
            #expect(overview.html.contains(#"<span class="badge warn">rejected</span>"#))
            #expect(overview.html.contains(#"<span class="badge good">promoted</span>"#), "the first cycle in the recent list")
            #expect(overview.count(#"<tr class="cycle">"#) == 2)
            let drift = try #require(detail["decisions"]?["drift"])
            let drifted = try #require(drift["drifted_columns"]?.numberValue)
            let columns = try #require(drift["columns"]?.arrayValue)
            #expect(
                overview.html.contains(
                    "\(Int(drifted)) of \(columns.count) columns · share \(Self.format(try #require(drift["share"]?.numberValue)))"))
            #expect(overview.html.contains(#"from <a href="/cycles/\#(second)">cycle \#(second)</a>"#))
            #expect(overview.html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"))
            #expect(!overview.html.contains("<b>bold"))
            self.expectSelfContained(overview)

            let cycle = try await self.page(client, "/cycles/\(second)")
            #expect(cycle.status == 200)
            #expect(cycle.contentType.hasPrefix("text/html"))
            #expect(!cycle.html.contains("http-equiv=\"refresh\""), "a finished cycle does not reload")
            #expect(cycle.html.contains(#"<span class="badge warn">rejected</span>"#))
            #expect(cycle.html.contains(#"<div class="v">churn</div>"#) && cycle.html.contains(#"<div class="v">manual</div>"#))
            #expect(cycle.html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"))
            #expect(!cycle.html.contains("<b>bold"))
            #expect(cycle.html.contains("version 2 registered and rejected: challenger fails"))

            let transitions = try #require(detail["transitions"]?.arrayValue)
            #expect(cycle.count(#"<tr class="transition">"#) == transitions.count)
            for transition in transitions {
                let to = try #require(transition["to"]?.stringValue)
                #expect(
                    cycle.html.contains(#"<td class="mono strong">\#(to)</td><td>\#(transition["outcome"]?.stringValue ?? "?")</td>"#),
                    "transition to \(to)")
            }
            #expect(cycle.html.contains("drifted_columns: \(Int(drifted))"), "the detect transition's details")

            #expect(cycle.count(#"<tr class="drift-row"#) == columns.count)
            #expect(cycle.count(#"<tr class="drift-row drifted">"#) == Int(drifted))
            for column in columns {
                let name = try #require(column["column"]?.stringValue)
                let method = try #require(column["stattest"]?.stringValue)
                #expect(cycle.html.contains(#"<td class="strong">\#(name)</td>"#), "drift row of \(name)")
                #expect(cycle.html.contains(#"<td>\#(column["column_type"]?.stringValue ?? "?")</td><td class="mono">\#(method)</td>"#))
            }

            let rules = try #require(detail["decisions"]?["evaluation"]?["rules"]?.arrayValue)
            #expect(rules.count == 2)
            #expect(cycle.count(#"<tr class="comparison-row">"#) == rules.count)
            for rule in rules {
                let metric = try #require(rule["metric"]?.stringValue)
                let champion = try #require(rule["champion"]?.numberValue), challenger = try #require(rule["challenger"]?.numberValue)
                #expect(
                    cycle.html.contains(#"<td class="num">\#(Self.format(champion))</td><td class="num">\#(Self.format(challenger))</td>"#),
                    "champion and challenger \(metric)")
                #expect(cycle.html.contains(#"<span class="strong">\#(metric)</span>"#))
            }
            #expect(cycle.html.contains("✗ failed"), "the primary rule needs an improvement the same data cannot give")
            #expect(cycle.html.contains("challenger is not better"))
            self.expectSelfContained(cycle)

            let promoted = try await self.page(client, "/cycles/\(first)")
            #expect(promoted.html.contains("version 1 promoted to champion (the first champion)"))
            #expect(promoted.html.contains("challenger is better"))

            let missing = try await self.page(client, "/cycles/c-does-not-exist")
            #expect(missing.status == 404)
            #expect(missing.contentType.hasPrefix("text/html"))
            #expect(missing.html.contains("There is no cycle with id `c-does-not-exist`"))
            let hostileId = try await self.page(client, "/cycles/%3Cscript%3E")
            #expect(hostileId.status == 404)
            #expect(!hostileId.html.contains("<script"))
        }
    }

    @Test func aScheduledCheckIsTheCurrentDriftUntilACycleChecksAgain() async throws {
        let yaml = TestData.pipelineYAML().replacingOccurrences(
            of: "cooldown: 10m", with: "cooldown: 10m\nschedule: {cron: \"0 0 1 1 *\", on_drift: publish}")
        try await LiveServer.run(pipelineYAML: yaml, maxBodyBytes: 1 << 20) { endpoints, client in
            let (report, acceptance) = try await endpoints.controller.runScheduledCheck(pipeline: "churn")
            #expect(acceptance == nil)
            let overview = try await self.page(client, "/")
            #expect(
                overview.html.contains(
                    #"<span class="badge \#(report.datasetDrift ? "bad" : "good")">\#(report.datasetDrift ? "drift" : "no drift")</span>"#))
            #expect(overview.html.contains("\(report.driftedColumns) of \(report.features.columns.count) columns"))
            #expect(overview.html.contains("from the scheduled check"))
            #expect(overview.html.contains("no cycle yet"))

            let cycleId = try #require(try await client.post("/v1/webhooks/drift", ["pipeline": "churn"]).json["cycle_id"]?.stringValue)
            _ = try await client.waitForEnd(cycleId)
            let after = try await self.page(client, "/")
            #expect(after.html.contains(#"from <a href="/cycles/\#(cycleId)">cycle \#(cycleId)</a>"#))
            #expect(!after.html.contains("from the scheduled check"))
        }
    }
}
