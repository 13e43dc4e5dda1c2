import DriftLoop
import DriftLoopServer
import Foundation
import Testing

/// Pausing a pipeline holds its cycles where they are and keeps every trigger; resuming lets them go on.
@Suite struct PauseTests {
    @Test func aPausedPipelineRecordsTriggersAndRunsTheirCycleAfterResume() async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(cooldown: "0s"), maxBodyBytes: 1 << 20) { _, client in
            let paused = try await client.post("/v1/pipelines/churn/pause", ["actor": "alice", "reason": "feature store migration"])
            #expect(paused.status == 200)
            #expect(paused.json["changed"]?.boolValue == true)
            #expect(paused.json["pause"]?["actor"]?.stringValue == "alice (token api)", "the claimed name, beside the token that was used")
            let again = try await client.post("/v1/pipelines/churn/pause", ["actor": "bob"])
            #expect(again.json["changed"]?.boolValue == false, "pausing twice keeps the first pause")
            #expect(again.json["pause"]?["actor"]?.stringValue == "alice (token api)")
            #expect(try await client.post("/v1/pipelines/nope/pause", [:]).status == 404)

            let accepted = try await client.post("/v1/pipelines/churn/retrain", ["reason": "while paused"])
            #expect(accepted.status == 202, "a paused pipeline still accepts and records triggers")
            let cycleId = try #require(accepted.json["cycle_id"]?.stringValue)
            try await Task.sleep(for: .milliseconds(400))
            let waiting = try await client.get("/v1/cycles/\(cycleId)").json
            #expect(waiting["cycle"]?["status"]?.stringValue == "running")
            #expect(waiting["cycle"]?["state"]?.stringValue == "detect", "the cycle waits in its first state")
            let summary = try await client.get("/v1/pipelines/churn").json
            #expect(summary["pipeline"]?["paused"]?.boolValue == true)
            #expect(summary["pipeline"]?["pause"]?["reason"]?.stringValue == "feature store migration")

            let resumed = try await client.post("/v1/pipelines/churn/resume", ["actor": "alice"])
            #expect(resumed.status == 200 && resumed.json["changed"]?.boolValue == true)
            let done = try await client.waitForEnd(cycleId)
            #expect(done["cycle"]?["outcome"]?.stringValue == "promoted")
            #expect(try await client.get("/v1/pipelines/churn").json["pipeline"]?["paused"]?.boolValue == false)
            #expect(try await client.post("/v1/pipelines/churn/resume", [:]).json["changed"]?.boolValue == false)
        }
    }

    @Test func aCancelPassesThePause() async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(cooldown: "0s"), maxBodyBytes: 1 << 20) { _, client in
            _ = try await client.post("/v1/pipelines/churn/pause", [:])
            let cycleId = try #require(try await client.post("/v1/pipelines/churn/retrain", [:]).json["cycle_id"]?.stringValue)
            #expect(try await client.post("/v1/cycles/\(cycleId)/cancel", [:]).status == 202)
            let done = try await client.waitForEnd(cycleId)
            #expect(done["cycle"]?["outcome"]?.stringValue == "cancelled")
        }
    }

    @Test func storeAndReplicaSettingsAreReadWithPositionsOnMistakes() throws {
        let config = try ControllerConfig.parse(
            "store: {kind: postgres, url_env: PG_URL, max_connections: 8}\nreplica: {id: a, lease_ttl: 6s, poll: 1s}\n", file: "config.yaml",
            baseDirectory: "/tmp")
        #expect(config.store == .postgres(url: .environment("PG_URL"), maxConnections: 8))
        #expect(config.replica.id == "a" && config.replica.leaseTTL == .seconds(6) && config.replica.poll == .seconds(1))
        for bad in [
            "store: {kind: postgres}\n", "store: {kind: mysql}\n", "store: {kind: postgres, url: postgres://x}\n",
            "replica: {lease_ttl: 1s, poll: 1s}\n",
        ] {
            let error = #expect(throws: DiagnosticsError.self, "\(bad)") {
                try ControllerConfig.parse(bad, file: "config.yaml", baseDirectory: "/tmp")
            }
            #expect(error.map { "\($0)" }?.contains("config.yaml:1:") == true, "\(String(describing: error))")
        }
    }
}
