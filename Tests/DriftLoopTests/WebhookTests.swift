import Crypto
import CurlHTTP
import DriftLoop
import DriftLoopServer
import Foundation
import Testing

/// Alertmanager's webhook with every captured payload, and signed drift webhooks, over HTTP against the whole server.
@Suite struct WebhookTests {
    static let alertmanagerToken = "alertmanager-token-1"
    static let evidentlySecret = "evidently-signing-secret"
    static let fixtures = ChildServer.repositoryRoot + "/Tests/DriftLoopTests/Fixtures/alertmanager"

    static func payload(_ number: Int) throws -> Data {
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).first { $0.hasPrefix(String(format: "webhook-%02d", number)) })
        return try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + name))
    }

    func withServer(_ body: @Sendable (ServerEndpoints, APITestClient) async throws -> Void) async throws {
        let secrets = TemporaryDirectory()
        let tokenFile = secrets.write("alertmanager-token", Self.alertmanagerToken + "\n")
        let secretFile = secrets.write("evidently-secret", Self.evidentlySecret + "\n")
        let config = """
            webhooks:
              alertmanager: {pipeline_label: model, token_file: \(tokenFile)}
              signed:
                max_skew: 5m
                sources: {evidently: {secret_file: \(secretFile)}}
            """
        try await LiveServer.run(
            pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 64 * 1024, configYAML: config,
            extraPipelines: ["fraud": TestData.pipelineYAML(name: "fraud")], body)
    }

    func alert(_ client: APITestClient, _ data: Data, token: String? = WebhookTests.alertmanagerToken) async throws -> APITestClient.Reply {
        try await client.postRaw("/v1/webhooks/alertmanager", body: data, token: token)
    }

    static func dispositions(_ reply: APITestClient.Reply) -> [String] {
        reply.json["alerts"]?.arrayValue?.compactMap { $0["disposition"]?.stringValue } ?? []
    }

    @Test func everyCapturedAlertmanagerPayloadStartsJoinsOrResolvesExactlyOnce() async throws {
        try await self.withServer { endpoints, client in
            let single = try await self.alert(client, try Self.payload(1))
            #expect(single.status == 200)
            #expect(Self.dispositions(single) == ["started"])
            let churnCycle = try #require(single.json["alerts"]?.arrayValue?.first?["cycle_id"]?.stringValue)

            // Alertmanager re-sends firing alerts every group_interval: the same alert joins nothing new.
            #expect(Self.dispositions(try await self.alert(client, try Self.payload(1))) == ["duplicate"])
            let grouped = try await self.alert(client, try Self.payload(2))
            #expect(Self.dispositions(grouped) == ["duplicate", "started"])
            let fraudCycle = try #require(grouped.json["alerts"]?.arrayValue?.last?["cycle_id"]?.stringValue)
            #expect(fraudCycle != churnCycle)

            let mixed = try await self.alert(client, try Self.payload(3))
            #expect(Self.dispositions(mixed) == ["resolved", "duplicate"])
            #expect(mixed.json["alerts"]?.arrayValue?.first?["cycle_id"]?.stringValue == churnCycle)
            let resolved = try await self.alert(client, try Self.payload(4))
            #expect(Self.dispositions(resolved) == ["resolved"])
            #expect(Self.dispositions(try await self.alert(client, try Self.payload(4))) == ["duplicate"])

            // An alert for no declared pipeline is answered (a retry would not help) and names the problem.
            let unknown = try await self.alert(client, try Self.payload(5))
            #expect(unknown.status == 200)
            #expect(Self.dispositions(unknown) == ["ignored"])
            #expect(unknown.json["alerts"]?.arrayValue?.first?["error"]?.stringValue == "no pipeline named `manual-inject`")

            // The same instant written with another precision or offset is the same alert.
            for spelling in ["2026-11-22T12:57:53.457000000Z", "2026-11-22T13:57:53.457+01:00"] {
                let text = String(decoding: try Self.payload(1), as: UTF8.self).replacingOccurrences(of: "2026-11-22T12:57:53.457Z", with: spelling)
                #expect(Self.dispositions(try await self.alert(client, Data(text.utf8))) == ["duplicate"])
            }

            let store = endpoints.controller.history
            #expect(try await store.cycles(pipeline: "churn", limit: 10).count == 1)
            #expect(try await store.cycles(pipeline: "fraud", limit: 10).count == 1)
            let churnTriggers = try await store.triggers(cycleId: churnCycle)
            #expect(churnTriggers.filter { $0.disposition == .started }.count == 1)
            #expect(churnTriggers.count == 5, "every accepted notification is stored: 1 started + 4 duplicates")
            #expect(churnTriggers.first?.trigger.kind == .alertmanager)
            #expect(churnTriggers.first?.trigger.payload["fingerprint"]?.stringValue == "b303f6117b9e502e")
        }
    }

    @Test func badAlertmanagerRequestsGetTheirStatusAndStoreNothing() async throws {
        try await self.withServer { endpoints, client in
            #expect(try await self.alert(client, try Self.payload(1), token: nil).status == 401)
            let apiToken = try await self.alert(client, try Self.payload(1), token: APITests.token)
            #expect(apiToken.status == 401, "Alertmanager has its own token")
            #expect(apiToken.json["error"]?["field"]?.stringValue == "Authorization")

            let malformed = try await self.alert(client, Data("{\"version\": \"4\", \"alerts\": [".utf8))
            #expect(malformed.status == 400)
            #expect(malformed.json["error"]?["message"]?.stringValue != nil)

            let wrongVersion = String(decoding: try Self.payload(1), as: UTF8.self).replacingOccurrences(
                of: #""version"\s*:\s*"4""#, with: #""version":"3""#, options: .regularExpression)
            let version = try await self.alert(client, Data(wrongVersion.utf8))
            #expect(version.status == 400)
            #expect(version.json["error"]?["field"]?.stringValue == "version")

            let badTime = String(decoding: try Self.payload(1), as: UTF8.self).replacingOccurrences(of: "2026-11-22T12:57:53.457Z", with: "yesterday")
            let time = try await self.alert(client, Data(badTime.utf8))
            #expect(time.status == 400)
            #expect(time.json["error"]?["field"]?.stringValue == "alerts[0].startsAt")

            let oversized = try await self.alert(client, Data(repeating: UInt8(ascii: " "), count: 70 * 1024) + (try Self.payload(1)))
            #expect(oversized.status == 413)

            #expect(try await endpoints.controller.history.cycles(pipeline: nil, limit: 10).isEmpty)
        }
    }

    static func signed(_ body: Data, timestamp: Int64 = Int64(Date().timeIntervalSince1970), secret: String = WebhookTests.evidentlySecret) -> [(
        name: String, value: String
    )] {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return [
            ("X-Driftloop-Source", "evidently"), ("X-Driftloop-Timestamp", String(timestamp)),
            ("X-Driftloop-Signature", "sha256=" + mac.map { String(format: "%02x", $0) }.joined()),
        ]
    }

    @Test func signedDriftWebhooksAreVerifiedAndReplaysChangeNothing() async throws {
        try await self.withServer { endpoints, client in
            let body = Data(#"{"pipeline": "churn", "reason": "share_drifted 0.6"}"#.utf8)
            let headers = Self.signed(body)
            let accepted = try await client.postRaw("/v1/webhooks/drift", body: body, token: nil, headers: headers)
            #expect(accepted.status == 202)
            #expect(accepted.json["disposition"]?.stringValue == "started")
            let cycleId = try #require(accepted.json["cycle_id"]?.stringValue)

            // The identical request again (a replay inside the window) is the same event.
            let replay = try await client.postRaw("/v1/webhooks/drift", body: body, token: nil, headers: headers)
            #expect(replay.status == 202)
            #expect(replay.json["disposition"]?.stringValue == "duplicate")
            #expect(replay.json["cycle_id"]?.stringValue == cycleId)

            let tampered = Data(#"{"pipeline": "churn", "reason": "share_drifted 0.9"}"#.utf8)
            let wrong = try await client.postRaw("/v1/webhooks/drift", body: tampered, token: nil, headers: headers)
            #expect(wrong.status == 401)
            #expect(wrong.json["error"]?["code"]?.stringValue == "bad_signature")
            #expect(wrong.json["error"]?["field"]?.stringValue == "X-Driftloop-Signature")

            let old = try await client.postRaw(
                "/v1/webhooks/drift", body: body, token: nil, headers: Self.signed(body, timestamp: Int64(Date().timeIntervalSince1970) - 600))
            #expect(old.status == 401)
            #expect(old.json["error"]?["field"]?.stringValue == "X-Driftloop-Timestamp")

            let otherSecret = try await client.postRaw("/v1/webhooks/drift", body: body, token: nil, headers: Self.signed(body, secret: "guess"))
            #expect(otherSecret.status == 401)

            // A source with a secret must sign, even with a valid API token.
            let unsigned = try await client.postRaw("/v1/webhooks/drift", body: Data(#"{"pipeline": "churn", "source": "evidently"}"#.utf8))
            #expect(unsigned.status == 401)
            #expect(unsigned.json["error"]?["code"]?.stringValue == "signature_required")

            let triggers = try await endpoints.controller.history.triggers(cycleId: cycleId)
            #expect(triggers.map(\.disposition) == [.started, .duplicate])
            #expect(triggers.first?.trigger.source == "evidently")
        }
    }
}
