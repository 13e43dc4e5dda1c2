import Foundation
import Testing

@testable import DriftLoop

/// Issue 21 item 20: one key style, the API's snake_case, in every answer and in `driftloop export`.
@Suite struct KeyStyleTests {
    /// Objects whose keys are data (feature, metric and tag names, payloads as sent), not the API's own names.
    static let dataKeyed: Set<String> = ["decisions", "handles", "details", "payload", "tags", "metrics", "labels"]

    /// Every key outside data-keyed objects that is not snake_case, as `path.key`.
    static func camelCaseKeys(in value: JSONValue, path: String = "") -> [String] {
        switch value {
        case .object(let members):
            return members.flatMap { key, member -> [String] in
                let here = path.isEmpty ? key : path + "." + key
                let own = key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } ? [] : [here]
                return own + (Self.dataKeyed.contains(key) ? [] : Self.camelCaseKeys(in: member, path: here))
            }
        case .array(let items):
            return items.flatMap { Self.camelCaseKeys(in: $0, path: path + "[]") }
        default:
            return []
        }
    }

    @Test func theControllerAnswersInSnakeCaseOnly() async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(minImprovement: 0.005), maxBodyBytes: 1 << 20) { _, client in
            let accepted = try await client.post("/v1/pipelines/churn/retrain", ["force": true, "reason": "key style"])
            let cycleId = try #require(accepted.json["cycle_id"]?.stringValue)
            let detail = try await client.waitForEnd(cycleId)
            #expect(detail["cycle"]?["outcome"]?.stringValue == "promoted")
            let pipeline = try await client.get("/v1/pipelines/churn")
            guard case .array(let history)? = pipeline.json["champion_history"], let change = history.last else {
                Issue.record("no champion_history: \(pipeline.json.jsonText.prefix(600))")
                return
            }
            #expect(change["cycle_id"]?.stringValue == cycleId)
            for (path, answer) in [
                ("/v1/pipelines/churn", pipeline.json), ("/v1/pipelines", try await client.get("/v1/pipelines").json),
                ("/v1/cycles/\(cycleId)", detail), ("/v1/cycles", try await client.get("/v1/cycles").json),
                ("/v1/cycles/\(cycleId)/triggers", try await client.get("/v1/cycles/\(cycleId)/triggers").json),
            ] {
                #expect(Self.camelCaseKeys(in: answer) == [], "\(path)")
            }
        }
    }

    /// Triggers stored before the change spelled `dedupKey`; they are still read.
    @Test func aTriggerStoredWithTheOldSpellingIsStillRead() throws {
        let old = #"{"kind":"drift_webhook","source":"evidently","dedupKey":"run-7","force":false,"payload":null}"#
        let trigger = try JSONDecoder().decode(Trigger.self, from: Data(old.utf8))
        #expect(trigger.dedupKey == "run-7")
        let written = String(decoding: try JSONEncoder().encode(trigger), as: UTF8.self)
        #expect(written.contains(#""dedup_key":"run-7""#) && !written.contains("dedupKey"), "\(written)")
    }
}
