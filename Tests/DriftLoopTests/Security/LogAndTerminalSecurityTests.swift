import Crypto
import CurlHTTP
import DriftLoopServer
import Foundation
import Logging
import Testing

@testable import DriftLoop

/// Findings 8, 9, 12 and 13: what reaches the log and the terminal, and what the CLI sends.
@Suite struct LogAndTerminalSecurityTests {
    static let forged = "\n2026-12-07T10:00:00+0000 critical driftloop: FAKE-LOG-LINE"

    @Test func controlCharactersAreEscapedInMessagesMetadataAndErrors() {
        let capture = LogCapture()
        let logger = capture.logger(level: .info)
        logger.notice("approval recorded\(Self.forged)", metadata: ["approver": "alice\(Self.forged)", "nested": ["a": "\u{1B}[2J"]])
        struct Failure: Error, CustomStringConvertible { var description: String { "boom\r\nFAKE" } }
        logger.error("failed", error: Failure())
        let lines = capture.text.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 2, "\(capture.text)")
        #expect(!lines.contains { $0.hasPrefix("2026-12-07T10:00:00+0000 critical") })
        #expect(capture.text.contains("\\n2026-12-07T10:00:00+0000 critical driftloop: FAKE-LOG-LINE"))
        #expect(capture.text.contains("\\u{1B}[2J"))
        #expect(!capture.text.contains("\u{1B}"))
        #expect(LogText.escape("plain text: ünïcode ✓") == "plain text: ünïcode ✓")
        #expect(LogText.escape("a\u{2028}b\u{202E}c\u{85}") == "a\\u{2028}b\\u{202E}c\\u{85}")
    }

    /// The probe's request, against the live server: an approver and a pause actor with a newline write one line each.
    @Test func aNewlineInAnActorCannotForgeALogLine() async throws {
        let capture = LogCapture()
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20, logger: capture.logger(level: .info)) { _, client in
            let forgedActor: JSONValue = ["actor": .string("mallory" + Self.forged)]
            let paused = try await client.post("/v1/pipelines/churn/pause", forgedActor)
            let resumed = try await client.post("/v1/pipelines/churn/resume", forgedActor)
            #expect(paused.status == 200 && resumed.status == 200)
        }
        let text = capture.text
        #expect(text.contains("pipeline paused"))
        #expect(!text.split(separator: "\n").contains { $0.contains("critical driftloop: FAKE-LOG-LINE") && $0.hasPrefix("2026-12-07T10:00:00") })
    }

    /// Finding 12: at debug level, ServiceLifecycle logs every service's description; no token, nor its digest, is in it.
    @Test func debugLogsHoldNoTokenAndNoTokenDigest() async throws {
        let capture = LogCapture()
        let secrets = TemporaryDirectory()
        let readToken = "read-token-0123456789"
        let tokenFile = secrets.write("read-token", readToken + "\n")
        try await LiveServer.run(
            pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20,
            configYAML: "api_tokens: [{name: reader, role: read, token_file: \(tokenFile)}]",
            logger: capture.logger(level: .trace)
        ) { endpoints, client in
            _ = try await client.get("/v1/pipelines", token: readToken)
            _ = try await client.post("/v1/pipelines/churn/retrain", ["force": true])
            _ = endpoints
        }
        let text = capture.text
        #expect(text.contains("debug") || text.contains("trace"), "the capture saw debug output")
        for secret in [readToken, APITests.token] {
            #expect(!text.contains(secret))
            let digest = Array(SHA256Digest.of(secret))
            let decimal = digest.map(String.init).joined(separator: ", ")
            let hex = digest.map { String(format: "%02x", $0) }.joined()
            #expect(!text.contains(decimal), "the digest's bytes, as a struct's description prints them")
            #expect(!text.contains(hex))
        }
    }

    /// Finding 9: `driftloop cycles` and `show` print a reason's ESC, BEL and CR escaped, never raw.
    @Test func theCLIPrintsControlCharactersEscaped() async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20, transport: .live) { endpoints, client in
            let reason = "drift\u{1B}[2J\u{07}\rFORGED ROW"
            let accepted = try await client.post("/v1/pipelines/churn/retrain", ["reason": .string(reason), "force": true])
            let cycle = try #require(accepted.json["cycle_id"]?.stringValue)
            _ = try await client.waitForEnd(cycle)
            for arguments in [["cycles"], ["show", cycle], ["status"]] {
                let run = try await CLIRun.run(arguments + ["--server", endpoints.apiURL])
                #expect(run.status == 0, "\(arguments): \(run.output)")
                #expect(!run.output.contains("\u{1B}") && !run.output.contains("\u{07}") && !run.output.contains("\r"), "\(arguments)")
                if arguments[0] != "status" { #expect(run.output.contains("\\u{1B}[2J\\u{7}\\rFORGED ROW"), "\(arguments): \(run.output)") }
            }
        }
    }

    /// Finding 13: the read commands send the token too, so they work once named api_tokens make reads need one.
    @Test func theCLIsReadCommandsSendTheToken() async throws {
        let secrets = TemporaryDirectory()
        let tokenFile = secrets.write("reader", "reader-token-42\n")
        try await LiveServer.run(
            pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20,
            configYAML: "api_tokens: [{name: reader, role: read, token_file: \(tokenFile)}]", transport: .live
        ) { endpoints, client in
            let accepted = try await client.post("/v1/pipelines/churn/retrain", ["force": true])
            let cycle = try #require(accepted.json["cycle_id"]?.stringValue)
            for arguments in [["status"], ["cycles"], ["show", cycle]] {
                let run = try await CLIRun.run(
                    arguments + ["--server", endpoints.apiURL, "--token-env", "READER_TOKEN"], environment: ["READER_TOKEN": "reader-token-42"])
                #expect(run.status == 0, "\(arguments): \(run.output)")
                let refused = try await CLIRun.run(arguments + ["--server", endpoints.apiURL], environment: [:])
                #expect(refused.status == 2)
                #expect(refused.output.contains("--token-env"), "a 401 says how to pass a token: \(refused.output)")
            }
        }
    }
}

/// SHA-256 through swift-crypto, as the authorizer computes token digests.
enum SHA256Digest {
    static func of(_ text: String) -> SHA256.Digest { SHA256.hash(data: Data(text.utf8)) }
}
