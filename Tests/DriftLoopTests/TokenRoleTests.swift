import DriftLoop
import DriftLoopServer
import Foundation
import Testing

/// Named API tokens with roles: read < trigger < approve. Each route answers 401 without a valid token and 403 when
/// the token's role does not cover it, naming the token and the role needed; the token's name is recorded as actor.
@Suite struct TokenRoleTests {
    static func config(_ directory: TemporaryDirectory) -> String {
        """
        api_tokens:
          - {name: grafana, role: read, token_file: \(directory.write("read.token", "read-secret-1\n"))}
          - {name: ci, role: trigger, token_file: \(directory.write("trigger.token", "trigger-secret-2\n"))}
          - {name: oncall, role: approve, token_file: \(directory.write("approve.token", "approve-secret-3\n"))}

        """
    }

    @Test func eachRouteNeedsItsRoleAndTheTokenNameIsTheActor() async throws {
        let directory = TemporaryDirectory()
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(cooldown: "0s"), maxBodyBytes: 1 << 20, configYAML: Self.config(directory)) {
            _, client in
            let read = "read-secret-1", trigger = "trigger-secret-2", approve = "approve-secret-3"
            // Reads need a token once named tokens exist; health and metrics stay open for probes and Prometheus.
            #expect(try await client.get("/v1/pipelines").status == 401)
            #expect(try await client.get("/v1/pipelines", token: "wrong").status == 401)
            #expect(try await client.get("/v1/pipelines", token: read).status == 200)
            #expect(try await client.get("/healthz").status == 200)
            #expect(try await client.get("/metrics").status == 200)

            let refused = try await client.post("/v1/pipelines/churn/retrain", [:], token: read)
            #expect(refused.status == 403)
            #expect(refused.json["error"]?["field"]?.stringValue == "Authorization")
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("token `grafana` has role read; this route needs trigger") == true)
            #expect(!(refused.json.jsonText.contains("read-secret-1")), "the token never appears in an answer")

            let accepted = try await client.post("/v1/pipelines/churn/retrain", ["reason": "from ci"], token: trigger)
            #expect(accepted.status == 202)
            let cycleId = try #require(accepted.json["cycle_id"]?.stringValue)
            _ = try await client.waitForEnd(cycleId, token: read)

            #expect(try await client.post("/v1/pipelines/churn/pause", [:], token: trigger).status == 403, "trigger does not cover approve")
            #expect(try await client.post("/v1/pipelines/churn/rollback", [:], token: trigger).status == 403)
            #expect(try await client.post("/v1/cycles/\(cycleId)/cancel", [:], token: trigger).status == 403)
            let paused = try await client.post("/v1/pipelines/churn/pause", [:], token: approve)
            #expect(paused.status == 200)
            #expect(paused.json["pause"]?["actor"]?.stringValue == "oncall", "the token's name is the actor when the body names none")
            #expect(try await client.post("/v1/pipelines/churn/resume", [:], token: approve).status == 200)
            // The legacy api_token_env token still may do everything.
            #expect(try await client.post("/v1/pipelines/churn/pause", [:]).status == 200)
        }
    }

    @Test func tokensAreReadFromConfigWithPositionsOnMistakes() throws {
        let config = try ControllerConfig.parse(
            "api_tokens:\n  - {name: ci, role: trigger, token_env: CI_TOKEN}\n", file: "config.yaml", baseDirectory: "/tmp")
        #expect(config.apiTokens == [APITokenSettings(name: "ci", role: .trigger, secret: .environment("CI_TOKEN"))])
        for bad in [
            "api_tokens: {name: ci}\n", "api_tokens:\n  - {name: ci, role: admin, token_env: X}\n", "api_tokens:\n  - {role: read, token_env: X}\n",
            "api_tokens:\n  - {name: ci, role: read, token: plain}\n", "api_tokens:\n  - {name: ci, role: read}\n",
        ] {
            let error = #expect(throws: DiagnosticsError.self, "\(bad)") {
                try ControllerConfig.parse(bad, file: "config.yaml", baseDirectory: "/tmp")
            }
            #expect(error.map { "\($0)" }?.contains("config.yaml:") == true, "\(String(describing: error))")
        }
    }

    @Test func aNamedTokenThatIsNotSetStopsTheServerFromStarting() async throws {
        let directory = TemporaryDirectory()
        var config = try ControllerConfig.parse(
            "listen: \"127.0.0.1:0\"\napi_tokens:\n  - {name: ci, role: trigger, token_env: DRIFTLOOP_TEST_UNSET_TOKEN_VARIABLE}\n",
            file: "config.yaml",
            baseDirectory: directory.path)
        config.pipelinesDirectory = directory.file("pipelines")
        do {
            _ = try await DriftLoopServerApp.makeServiceGroup(
                config: config, pipelines: [], apiToken: nil, logger: TestData.quietLogger, handlesSignals: false)
            Issue.record("started without the token")
        } catch {
            #expect("\(error)".contains("API token `ci` is not set (environment variable DRIFTLOOP_TEST_UNSET_TOKEN_VARIABLE)"), "\(error)")
        }
    }
}
