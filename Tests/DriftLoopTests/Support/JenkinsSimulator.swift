import CurlHTTP
import Foundation
import Testing

/// `tools/jenkins-simulator/jenkins_simulator.py` in a child process on 127.0.0.1, with its control API (`/__sim/...`).
/// No real Jenkins can run here (PROTOCOLS.md section 2), so the tests drive this faithful simulator.
final class JenkinsSimulator: Sendable {
    static let script = ChildServer.repositoryRoot + "/tools/jenkins-simulator/jenkins_simulator.py"
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var isAvailable: Bool { Self.python != nil && FileManager.default.fileExists(atPath: Self.script) }

    let server: ChildServer
    var port: Int { self.server.port }
    var baseURL: String { self.server.baseURL }
    private let client = CurlHTTPClient()

    /// Starts the simulator with `config` (the simulator's JSON config) and waits until it listens.
    init(config: [String: Any], directory: TemporaryDirectory) async throws {
        let configPath = directory.file("jenkins-sim-\(UUID().uuidString.prefix(6)).json")
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        self.server = try await ChildServer(
            python: Self.python ?? "/usr/bin/python3", script: Self.script, arguments: ["--config", configPath], portFile: configPath + ".port",
            log: configPath + ".log", startTimeout: .seconds(60))
    }

    func stop() { self.server.stop() }

    /// `GET /__sim/state`: every build, queue item, trigger and stop call, and the request log.
    func state() async throws -> [String: Any] {
        let response = try await self.client.send(HTTPRequest(url: self.baseURL + "/__sim/state"))
        return try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    func builds() async throws -> [[String: Any]] {
        try await self.state()["builds"] as? [[String: Any]] ?? []
    }

    func addFaults(_ faults: [[String: Any]]) async throws {
        try await self.post("/__sim/faults", faults)
    }

    func post(_ path: String, _ body: Any = [String: Any]()) async throws {
        let data = try JSONSerialization.data(withJSONObject: body)
        let response = try await self.client.send(
            HTTPRequest(method: "POST", url: self.baseURL + path, headers: [("Content-Type", "application/json")], body: data))
        guard response.isSuccess else { throw SimulatorError(message: "simulator \(path): HTTP \(response.status) \(response.text)") }
    }

    /// Sends a request as a Jenkins user would (for actions a person takes in Jenkins during a test).
    func send(_ method: String, _ path: String, user: String, token: String) async throws -> HTTPResponse {
        try await self.client.send(HTTPRequest(method: method, url: self.baseURL + path, authentication: .basic(user: user, password: token)))
    }

    struct SimulatorError: Error, CustomStringConvertible {
        var message: String
        var description: String { self.message }
    }
}
