import DriftLoop
import DriftLoopServer
import Foundation
import Testing

/// The manual gate over HTTP: a cycle waits in `approve` until a person decides; who and why are recorded.
@Suite struct ApprovalTests {
    static let yaml =
        TestData.pipelineYAML(cooldown: "0s")
        .replacingOccurrences(of: "on: {better: promote, not_better: reject}", with: "on: {better: approve, not_better: reject}")
            + """

              approve:
                action: approve
                timeout: 60s
                poll: 50ms
                on: {approved: promote, rejected: reject}
            """

    func waitForState(_ client: APITestClient, _ cycleId: String, _ state: String) async throws {
        for _ in 0..<400 {
            if try await client.get("/v1/cycles/\(cycleId)").json["cycle"]?["state"]?.stringValue == state { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("cycle \(cycleId) never reached \(state)")
    }

    @Test func aCycleWaitsForApprovalAndRecordsWhoDecidedAndWhy() async throws {
        try await LiveServer.run(pipelineYAML: Self.yaml, maxBodyBytes: 1 << 20) { _, client in
            let first = try #require(try await client.post("/v1/pipelines/churn/retrain", ["reason": "first"]).json["cycle_id"]?.stringValue)
            try await self.waitForState(client, first, "approve")
            let missing = try await client.post("/v1/cycles/\(first)/approve", ["comment": "ok"])
            #expect(missing.status == 400)
            #expect(missing.json["error"]?["field"]?.stringValue == "approver")
            #expect(try await client.post("/v1/cycles/nope/approve", ["approver": "alice"]).status == 404)

            let approved = try await client.post("/v1/cycles/\(first)/approve", ["approver": "alice", "comment": "holdout looks right"])
            #expect(approved.status == 202)
            let again = try await client.post("/v1/cycles/\(first)/reject", ["approver": "bob"])
            #expect(again.status == 409)
            // Within the state's 50 ms poll the decision is pending; after it the cycle has left `approve`: both refuse.
            #expect(["already_decided", "not_awaiting_approval"].contains(again.json["error"]?["code"]?.stringValue ?? ""))
            let done = try await client.waitForEnd(first)
            #expect(done["cycle"]?["outcome"]?.stringValue == "promoted")
            #expect(done["decisions"]?["approval"]?["approver"]?.stringValue == "alice (token api)")
            #expect(done["decisions"]?["approval"]?["comment"]?.stringValue == "holdout looks right")
            #expect(
                try await client.post("/v1/cycles/\(first)/approve", ["approver": "alice"]).json["error"]?["code"]?.stringValue
                    == "not_awaiting_approval")

            // min_improvement 0: the same model again is "better" on paper, and a person turns it down.
            let second = try #require(
                try await client.post("/v1/pipelines/churn/retrain", ["reason": "second", "force": true]).json["cycle_id"]?.stringValue)
            try await self.waitForState(client, second, "approve")
            #expect(try await client.post("/v1/cycles/\(second)/reject", ["approver": "bob", "comment": "not this week"]).status == 202)
            let rejected = try await client.waitForEnd(second)
            #expect(rejected["cycle"]?["outcome"]?.stringValue == "rejected")
            #expect(rejected["decisions"]?["rejection"]?["reason"]?.stringValue == "rejected by bob (token api): not this week")
            guard case .array(let transitions)? = rejected["transitions"] else { Issue.record("no transitions"); return }
            #expect(transitions.compactMap { $0["to"]?.stringValue }.suffix(3) == ["approve", "reject", "rejected"])
        }
    }
}
