import CurlHTTP
import DriftLoop
import Foundation
import Testing

/// A real Prometheus (Debian's `prometheus`), scraping a stand-in inference service whose error rate the test sets.
struct PrometheusHarness {
    static let binary: String? = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) }

    let exporter: ChildServer
    let prometheus: ChildServer
    let metricsFile: String

    /// The inference service: a few lines of stdlib Python serving whatever `metricsFile` holds as `/metrics`.
    static let exporterScript = """
        import argparse, http.server, os, signal
        parser = argparse.ArgumentParser()
        parser.add_argument("--port", type=int); parser.add_argument("--port-file"); parser.add_argument("--metrics-file")
        args = parser.parse_args()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = open(args.metrics_file, "rb").read()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *_): pass
        server = http.server.HTTPServer(("127.0.0.1", args.port), Handler)
        with open(args.port_file + ".tmp", "w") as f: f.write(str(server.server_address[1]))
        os.replace(args.port_file + ".tmp", args.port_file)
        server.serve_forever()
        """

    init(directory: TemporaryDirectory, binary: String) async throws {
        self.metricsFile = directory.write("inference.prom", "inference_error_rate 0.01\n")
        self.exporter = try await ChildServer(
            python: "/usr/bin/python3", script: directory.write("exporter.py", Self.exporterScript), arguments: ["--metrics-file", self.metricsFile],
            portFile: directory.file("exporter.port"), log: directory.file("exporter.log"), startTimeout: .seconds(60))
        let config = directory.write(
            "prometheus.yml",
            """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: inference
                static_configs: [{targets: ["127.0.0.1:\(self.exporter.port)"]}]
            """)
        let port = try ChildServer.freePort()
        let client = CurlHTTPClient()
        self.prometheus = try await ChildServer(
            executable: binary,
            arguments: [
                "--config.file=\(config)", "--storage.tsdb.path=\(directory.file("tsdb"))", "--web.listen-address=127.0.0.1:\(port)",
                "--storage.tsdb.retention.time=1h",
            ],
            log: directory.file("prometheus.log"), startTimeout: .seconds(60)
        ) {
            // Ready once the first scrape of the inference service is in.
            let query = "http://127.0.0.1:\(port)/api/v1/query?query=up%7Bjob%3D%22inference%22%7D"
            guard let reply = try? await client.send(HTTPRequest(url: query, timeout: .seconds(2))), reply.status == 200, reply.text.contains("\"1\"")
            else { return nil }
            return port
        }
    }

    func setErrorRate(_ value: Double) throws {
        try "inference_error_rate \(value)\n".write(toFile: self.metricsFile, atomically: true, encoding: .utf8)
    }

    func stop() {
        self.prometheus.stop()
        self.exporter.stop()
    }
}

/// The whole loop against real servers: a drift webhook starts a cycle, the scikit-learn trainer retrains over
/// HTTP, the challenger is promoted in a real MLflow, and the `observe` state watches a real Prometheus; when the
/// new champion's error rate trips the rule, it is rolled back in MLflow.
@Suite(
    .enabled(if: MLflowTestServer.url != nil, "needs a real MLflow server: DRIFTLOOP_MLFLOW_URL (see scripts/mlflow_server.sh; .ci/run starts one)"),
    .enabled(if: SklearnTrainer.python != nil, "needs the scikit-learn venv: bash scripts/setup_python.sh"),
    .enabled(if: PrometheusHarness.binary != nil, "needs Prometheus: apt-get install prometheus (deploy/check_deploy.sh does)"))
struct ClosedLoopRollbackTests {
    @Test func webhookRetrainPromoteInMLflowObserveAndRollBackWhenTheSignalTrips() async throws {
        let directory = TemporaryDirectory()
        let trainer = try await ChildServer(
            python: try #require(SklearnTrainer.python), script: SklearnTrainer.script, arguments: ["--models-dir", directory.file("models")],
            portFile: directory.file("trainer.port"), log: directory.file("trainer.log"))
        defer { trainer.stop() }
        let prometheus = try await PrometheusHarness(directory: directory, binary: try #require(PrometheusHarness.binary))
        defer { prometheus.stop() }
        let model = "loop-\(UUID().uuidString.prefix(8).lowercased())"
        let mlflow = try #require(MLflowTestServer.url)
        let yaml =
            TestData.pipelineYAML(
                cooldown: "0s",
                trainer: "{kind: http, url: \(trainer.baseURL), poll: 100ms, params: {seed: \"3\"}, model_roots: [\"\(directory.file("models"))\"]}"
            )
            .replacingOccurrences(of: "model: churn-model", with: "model: \(model)")
            .replacingOccurrences(of: "on: {promoted: promoted}", with: "on: {promoted: observe}")
            .replacingOccurrences(
                of: "cooldown: 0s",
                with: """
                    cooldown: 0s
                    registry: {kind: mlflow, url: \(mlflow)}
                    observe:
                      window: 4s
                      interval: 300ms
                      prometheus: {url: \(prometheus.prometheus.baseURL)}
                      rules:
                        - {name: error_rate, query: "max(inference_error_rate)", above: 0.2}
                    """)
                + """

                  observe:
                    action: observe
                    timeout: 30s
                    on: {healthy: promoted, rolled_back: rolled_back}
                  rolled_back: {terminal: rolled_back}
                """
        try await LiveServer.run(pipelineYAML: yaml, maxBodyBytes: 1 << 20) { _, client in
            let accepted = try await client.post("/v1/webhooks/drift", ["pipeline": "churn", "source": "evidently", "event_id": "drift-1"])
            #expect(accepted.status == 202)
            let first = try await client.waitForEnd(try #require(accepted.json["cycle_id"]?.stringValue))
            #expect(first["cycle"]?["outcome"]?.stringValue == "promoted", "\(first["cycle"]?["failure"] ?? .null)")
            #expect(first["decisions"]?["observation"]?["verdict"]?.stringValue == "healthy")
            #expect(try await Self.champion(model) == "1")

            // The next champion's service starts failing: the observe state must put version 1 back.
            try prometheus.setErrorRate(0.45)
            let retrain = try await client.post("/v1/pipelines/churn/retrain", ["reason": "weekly", "force": true])
            let second = try await client.waitForEnd(try #require(retrain.json["cycle_id"]?.stringValue))
            #expect(second["cycle"]?["outcome"]?.stringValue == "rolled_back", "\(second["cycle"]?["failure"] ?? .null)")
            guard case .array(let transitions)? = second["transitions"] else { Issue.record("no transitions"); return }
            #expect(transitions.compactMap { $0["to"]?.stringValue }.suffix(3) == ["promote", "observe", "rolled_back"])
            #expect(second["decisions"]?["observation"]?["reason"]?.stringValue?.contains("error_rate = 0.45 is above 0.2") == true)
            #expect(try await Self.champion(model) == "1")
            let previous = try await MLflowTestServer.get("registered-models/alias?name=\(model)&alias=previous_champion")
            #expect((previous.json["model_version"] as? [String: Any])?["version"] as? String == "2")
        }
    }

    /// What `models:/NAME@champion` resolves to in MLflow.
    static func champion(_ model: String) async throws -> String? {
        let alias = try await MLflowTestServer.get("registered-models/alias?name=\(model)&alias=champion")
        return (alias.json["model_version"] as? [String: Any])?["version"] as? String
    }
}
