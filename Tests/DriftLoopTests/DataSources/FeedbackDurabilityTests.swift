import CurlHTTP
import Foundation
import Synchronization
import Testing

@testable import DriftLoop

/// Ingestion of the live window keeps what it acknowledged: `driftloop serve` is killed with SIGKILL while feedback
/// batches stream in, again and again, and every record a 202 answered for is in the store afterwards.
@Suite struct FeedbackDurabilityTests {
    @Test func noAcknowledgedRecordIsLostWhenTheServerIsKilled() async throws {
        let directory = TemporaryDirectory()
        let port = try ChildServer.freePort()
        _ = directory.write("pipelines/churn.yaml", LiveWindowTests.yaml(reference: LiveWindowTests.reference(directory)))
        let config = directory.write("config.yaml", "listen: \"127.0.0.1:\(port)\"\nlog_level: warning\n")
        let acknowledged = IDSet()
        let sent = IDSet()
        let http = CurlHTTPClient()
        var kills = 0
        for round in 0..<6 {
            let server = try await ChildServer(
                executable: CLIRun.binary, arguments: ["serve", "--config", config], log: directory.file("serve-\(round).log")
            ) {
                let ready = try? await http.send(CurlHTTP.HTTPRequest(url: "http://127.0.0.1:\(port)/readyz", timeout: .seconds(1)))
                return ready?.status == 200 ? port : nil
            }
            // Two posters stream batches of 25 until the kill.
            let posters = (0..<2).map { poster in
                Task {
                    var batch = 0
                    while !Task.isCancelled {
                        let ids = (0..<25).map { "r\(round)-\(poster)-\(batch)-\($0)" }
                        batch += 1
                        sent.insert(ids)
                        let body: JSONValue = .array(ids.map { ["id": .string($0), "prediction": "1", "features": ["x1": 0.5, "x2": "a"]] })
                        guard
                            let answer = try? await http.send(
                                CurlHTTP.HTTPRequest(
                                    method: "POST", url: "http://127.0.0.1:\(port)/v1/pipelines/churn/feedback",
                                    headers: [("Content-Type", "application/json")],
                                    body: Data(body.jsonText.utf8), timeout: .seconds(5)))
                        else { return }
                        if answer.status == 202 { acknowledged.insert(ids) }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(300 + 150 * round))
            kill(server.process.processIdentifier, SIGKILL)
            while server.process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
            kills += 1
            for poster in posters { poster.cancel() }
            for poster in posters { await poster.value }
        }
        let store = try SQLiteCycleStore(path: directory.file("data/driftloop.sqlite"))
        let stored = Set(try await store.recentFeedback(pipeline: "churn", since: nil, limit: 10_000_000).map(\.id))
        let acked = acknowledged.ids
        #expect(kills == 6)
        #expect(acked.count > 200, "the posters got answers before the kills: \(acked.count)")
        #expect(acked.subtracting(stored).isEmpty, "acknowledged but lost: \(acked.subtracting(stored).sorted().prefix(5))")
        #expect(stored.subtracting(sent.ids).isEmpty, "nothing stored that was not sent")
    }
}

/// Ids shared by the posting tasks.
final class IDSet: Sendable {
    private let storage = Mutex<Set<String>>([])

    func insert(_ ids: [String]) { self.storage.withLock { $0.formUnion(ids) } }

    var ids: Set<String> { self.storage.withLock { $0 } }
}
