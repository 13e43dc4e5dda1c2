import Foundation
import Testing

@testable import DriftLoop

/// Cycle events sent to a generic JSON webhook and a Slack-compatible one, over HTTP, retried past failures.
@Suite struct NotificationTests {
    /// A webhook receiver: appends each POST as a JSON line to a file; the path `/flaky` answers 500 twice first.
    static let receiverScript = """
        import argparse, http.server, json, os, signal, threading
        parser = argparse.ArgumentParser()
        parser.add_argument("--port", type=int); parser.add_argument("--port-file"); parser.add_argument("--log")
        args = parser.parse_args()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        lock = threading.Lock()
        failures = {"/flaky": 2}
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    if failures.get(self.path, 0) > 0:
                        failures[self.path] -= 1
                        status = 500
                    else:
                        status = 200
                    with open(args.log, "a") as log:
                        log.write(json.dumps({"path": self.path, "status": status, "auth": self.headers.get("Authorization"), "body": json.loads(body)}) + "\\n")
                self.send_response(status); self.send_header("Content-Length", "0"); self.end_headers()
            def log_message(self, *_): pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
        with open(args.port_file + ".tmp", "w") as f: f.write(str(server.server_address[1]))
        os.replace(args.port_file + ".tmp", args.port_file)
        server.serve_forever()
        """

    @Test func cycleEventsReachBothChannelsAndFailuresAreRetried() async throws {
        let directory = TemporaryDirectory()
        let log = directory.file("received.jsonl")
        let receiver = try await ChildServer(
            python: "/usr/bin/python3", script: directory.write("receiver.py", Self.receiverScript), arguments: ["--log", log],
            portFile: directory.file("receiver.port"), log: directory.file("receiver.log"), startTimeout: .seconds(60))
        defer { receiver.stop() }
        let tokenFile = directory.write("hook-token", "hook-secret\n")
        let config = """
            notifications:
              - {kind: webhook, url: "\(receiver.baseURL)/flaky", token_file: \(tokenFile)}
              - {kind: slack, url: "\(receiver.baseURL)/slack", events: [promoted, failed]}
            """
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20, configYAML: config) { _, client in
            let accepted = try await client.post("/v1/webhooks/drift", ["pipeline": "churn", "source": "evidently", "event_id": "n-1"])
            let cycleId = try #require(accepted.json["cycle_id"]?.stringValue)
            _ = try await client.waitForEnd(cycleId)
            var lines: [JSONValue] = []
            for _ in 0..<200 {
                lines = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
                if lines.filter({ $0["status"] == .number(200) }).count >= 3 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let generic = lines.filter { $0["path"]?.stringValue == "/flaky" }
            // Two 500s, then the started event; then the promoted one.
            #expect(generic.map { $0["status"]?.numberValue ?? 0 } == [500, 500, 200, 200])
            #expect(generic.compactMap { $0["status"] == .number(200) ? $0["body"]?["event"]?.stringValue : nil } == ["cycle_started", "promoted"])
            #expect(generic.last?["body"]?["cycle_id"]?.stringValue == cycleId)
            #expect(generic.last?["body"]?["version"]?.stringValue == "1")
            #expect(generic.first?["auth"]?.stringValue == "Bearer hook-secret")
            let slack = lines.filter { $0["path"]?.stringValue == "/slack" }
            #expect(slack.count == 1, "only the events the channel asked for")
            #expect(slack.first?["body"]?["text"]?.stringValue?.hasPrefix("*driftloop* `churn`: cycle promoted, version 1") == true, "\(slack)")
        }
    }

    @Test func aChannelWhoseURLIsNotSetStopsTheServerFromStartingWithTheReason() throws {
        let config = try ControllerConfig.parse(
            "notifications:\n  - {kind: slack, url_env: DRIFTLOOP_TEST_UNSET_SLACK_URL}\n", file: "config.yaml", baseDirectory: "/tmp")
        #expect(throws: NotificationError.self) {
            _ = try CycleNotifier(
                settings: config.notifications, environment: [:], store: try SQLiteCycleStore(path: TemporaryDirectory().file("s.sqlite")),
                client: .init(),
                publicURL: nil, logger: TestData.quietLogger)
        }
    }
}
