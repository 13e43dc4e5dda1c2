import CurlHTTP
import DriftLoop
import DriftLoopServer
import Foundation
import ServiceLifecycle

/// Feedback ingestion over HTTP into a live server (SQLite, monitors with DDM and a decay rule running), with
/// several concurrent senders, then a count from the store to show nothing was lost.
enum FeedbackIngestBenchmark {
    static func run(records: Int, batchSize: Int, senders: Int, directory: String) async throws {
        let examplePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../pipelines/example.yaml")
            .standardized.path
        let pipelineText =
            try String(contentsOfFile: examplePath, encoding: .utf8).replacingOccurrences(
                of: "data/churn/", with: "\(examplePath.dropLast(12))data/churn/") + """

                monitoring:
                  task: classification
                  positive_label: "1"
                  window: {size: 1000, kind: tumbling}
                  baseline: {accuracy: 0.5}
                  detectors: [{detector: ddm, input: error}]
                  decay: [{metric: accuracy, drop: 0.4, windows: 3}]
                """
        try FileManager.default.createDirectory(atPath: directory + "/pipelines", withIntermediateDirectories: true)
        try pipelineText.write(toFile: directory + "/pipelines/example.yaml", atomically: true, encoding: .utf8)
        let config = try ControllerConfig.parse(
            "listen: \"127.0.0.1:0\"\nmax_body_bytes: 16777216\ndata_dir: data\npipelines_dir: pipelines\n", file: directory + "/config.yaml",
            baseDirectory: directory)
        let pipelines = try PipelineLoader.loadAll(directory: config.pipelinesDirectory)
        let (ready, continuation) = AsyncStream.makeStream(of: ServerEndpoints.self)
        let group = try await DriftLoopServerApp.makeServiceGroup(
            config: config, pipelines: pipelines, apiToken: nil, logger: BenchmarkSupport.logger, handlesSignals: false,
            onReady: { continuation.yield($0) })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ready.makeAsyncIterator()
            guard let endpoints = await iterator.next() else { return }
            let batches = (records + batchSize - 1) / batchSize
            let bodies = (0..<batches).map { batch -> Data in
                let lines = (batch * batchSize..<min(records, (batch + 1) * batchSize)).map { i in
                    let label = i % 2
                    let prediction = i % 7 == 0 ? 1 - label : label
                    return #"{"id":"r\#(i)","prediction":\#(prediction),"label":\#(label),"score":0.\#(i % 10)}"#
                }
                return Data(lines.joined(separator: "\n").utf8)
            }
            let client = CurlHTTPClient()
            let clock = ContinuousClock()
            let start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { senderTasks in
                for sender in 0..<senders {
                    senderTasks.addTask {
                        for batch in stride(from: sender, to: batches, by: senders) {
                            let response = try await client.send(
                                CurlHTTP.HTTPRequest(method: "POST", url: endpoints.apiURL + "/v1/pipelines/example/feedback", body: bodies[batch]))
                            guard response.status == 202 else { throw BenchmarkFailure("feedback answered \(response.status): \(response.text)") }
                        }
                    }
                }
                try await senderTasks.waitForAll()
            }
            let elapsed = (clock.now - start).seconds
            try await endpoints.controller.processFeedback(pipeline: "example")
            let processed = (clock.now - start).seconds
            let stored = try await endpoints.controller.history.labelledFeedback(pipeline: "example", after: 0, limit: records + 1).count
            print(
                String(
                    format:
                        "feedback over HTTP: %d records in batches of %d from %d senders: %.3f s, %.0f records/s acknowledged; monitors done at %.3f s; stored %d of %d",
                    records, batchSize, senders, elapsed, Double(records) / elapsed, processed, stored, records))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
