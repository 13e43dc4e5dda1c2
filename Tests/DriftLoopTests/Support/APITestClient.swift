import CurlHTTP
import DriftLoop
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A small JSON client for the tests: in process, straight to the router, or over our libcurl client to a live
/// server for the tests that need a real socket.
struct APITestClient: Sendable {
    enum Transport: Sendable {
        case live(base: String)
        case inProcess(any TestClientProtocol)
    }

    let transport: Transport
    let http = CurlHTTPClient()

    init(base: String) {
        self.transport = .live(base: base)
    }

    init(inProcess client: any TestClientProtocol) {
        self.transport = .inProcess(client)
    }

    /// The live server's URL; a test that needs it runs its server with `transport: .live`.
    var base: String {
        guard case .live(let base) = self.transport else {
            preconditionFailure("this server runs in process; use LiveServer.run(transport: .live) for a socket")
        }
        return base
    }

    struct Reply: Sendable {
        var status: Int
        var json: JSONValue
    }

    /// One request, answered whole: status, headers and body.
    func send(_ method: String, _ path: String, body: Data? = nil, token: String? = nil, headers: [(name: String, value: String)] = []) async throws
        -> CurlHTTP.HTTPResponse
    {
        switch self.transport {
        case .live(let base):
            return try await self.http.send(
                CurlHTTP.HTTPRequest(
                    method: method, url: base + path, headers: headers, body: body, authentication: token.map { .bearer(token: $0) } ?? .none))
        case .inProcess(let client):
            var fields = HTTPFields()
            for (name, value) in headers {
                if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
            }
            if let token { fields[.authorization] = "Bearer \(token)" }
            let response = try await client.executeRequest(
                uri: path, method: HTTPTypes.HTTPRequest.Method(rawValue: method) ?? .get, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
            return CurlHTTP.HTTPResponse(
                status: response.status.code, headers: response.headers.map { (name: $0.name.rawName, value: $0.value) },
                body: Data(buffer: response.body))
        }
    }

    func get(_ path: String, token: String? = nil) async throws -> Reply {
        let response = try await self.send("GET", path, token: token)
        return Reply(status: response.status, json: JSONValue.parse(response.text) ?? .null)
    }

    func post(_ path: String, _ body: JSONValue, token: String? = APITests.token) async throws -> Reply {
        try await self.postRaw(path, body: Data(body.jsonText.utf8), token: token)
    }

    func postRaw(_ path: String, body: Data, token: String? = APITests.token, headers: [(name: String, value: String)] = []) async throws -> Reply {
        let response = try await self.send("POST", path, body: body, token: token, headers: [("Content-Type", "application/json")] + headers)
        return Reply(status: response.status, json: JSONValue.parse(response.text) ?? .null)
    }

    func waitForEnd(_ cycleId: String, token: String? = nil) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let reply = try await self.get("/v1/cycles/\(cycleId)", token: token)
            if reply.json["cycle"]?["status"]?.stringValue == "finished" { return reply.json }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }
}
