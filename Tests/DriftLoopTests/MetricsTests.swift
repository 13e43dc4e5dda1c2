import CurlHTTP
import DriftLoop
import DriftLoopServer
import Foundation
import Testing

/// `/metrics` after real cycles, checked by Prometheus' own linter.
@Suite struct MetricsTests {
    static let promtool: String? = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func metricsDescribeCyclesStatesDriftAndChampionsAndPassPromtool() async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20) { _, client in
            let accepted = try await client.post("/v1/webhooks/drift", ["pipeline": "churn", "source": "evidently", "event_id": "m-1"])
            _ = try await client.waitForEnd(try #require(accepted.json["cycle_id"]?.stringValue))
            _ = try await client.post("/v1/webhooks/drift", ["pipeline": "churn", "source": "evidently", "event_id": "m-1"])
            let response = try await client.send("GET", "/metrics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = response.text
            for series in [
                #"driftloop_cycles_started_total{pipeline="churn",trigger="drift_webhook"} 1"#,
                #"driftloop_cycles_finished_total{pipeline="churn",trigger="drift_webhook",outcome="promoted"} 1"#,
                #"driftloop_triggers_total{pipeline="churn",kind="drift_webhook",disposition="duplicate"} 1"#,
                #"driftloop_dataset_drift{pipeline="churn"} 1"#,
                #"driftloop_active_cycles{pipeline="churn"} 0"#,
                #"driftloop_champion_version{pipeline="churn",model="churn-model"} 1"#,
                #"driftloop_webhooks_total{source="drift",result="duplicate"} 1"#,
                #"driftloop_state_duration_seconds_count{pipeline="churn",state="await_training"} 1"#,
                #"driftloop_cycle_duration_seconds_count{pipeline="churn",outcome="promoted"} 1"#,
                #"driftloop_trainer_requests_total{pipeline="churn",trainer="builtin",operation="start",result="ok"} 1"#,
                #"driftloop_registry_requests_total{pipeline="churn",registry="builtin",operation="promote",result="ok"} 1"#,
            ] {
                #expect(text.contains(series), "missing \(series)")
            }
            #expect(text.contains(#"driftloop_feature_drift_score{pipeline="churn",feature="tenure_months",stattest=""#))
            #expect(text.contains(#"driftloop_http_request_duration_seconds_count{method="POST",route="/v1/webhooks/drift",status="202"}"#))
            #expect(text.contains(#"driftloop_build_info{version=""#))

            if let promtool = Self.promtool {
                let check = try TestProcess(promtool, ["check", "metrics"], input: Data(text.utf8))
                let status = await check.exitStatus(within: 60)
                let findings = check.text
                #expect(
                    status == 0 && findings.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                    "promtool check metrics: \(findings)")
            }
        }
    }
}
