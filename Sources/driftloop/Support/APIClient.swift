import CurlHTTP
import DriftLoop
import Foundation

/// The CLI's client for a running server, over libcurl.
struct APIClient {
    var baseURL: String
    var token: String?
    let http = CurlHTTPClient()

    func get(_ path: String) async throws -> JSONValue {
        var request = HTTPRequest(url: self.baseURL + path)
        // Reads need a token too once named api_tokens exist.
        if let token { request.authentication = .bearer(token: token) }
        return try await self.send(request)
    }

    func post(_ path: String, body: JSONValue) async throws -> JSONValue {
        var request = try HTTPRequest.json(url: self.baseURL + path, body: body)
        if let token { request.authentication = .bearer(token: token) }
        return try await self.send(request)
    }

    private func send(_ request: HTTPRequest) async throws -> JSONValue {
        let response: HTTPResponse
        do {
            response = try await self.http.send(request)
        } catch let error as CurlError {
            throw CLIError("cannot reach driftloop at \(self.baseURL): \(error.message). Is `driftloop serve` running? (--server to point elsewhere)")
        }
        let body = JSONValue.parse(response.text) ?? .null
        guard response.isSuccess else {
            let message = LogText.escape(body["error"]?["message"]?.stringValue ?? response.text)
            if response.status == 401 {
                throw CLIError(
                    "server answered 401: \(message). Pass a token: set DRIFTLOOP_API_TOKEN (the config's api_token_env), or name the variable holding it with --token-env VARIABLE"
                )
            }
            throw CLIError("server answered \(response.status): \(message)")
        }
        return body
    }
}

/// Prints JSON for scripts.
enum JSONOutput {
    static func print(_ value: JSONValue) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) { Swift.print(String(decoding: data, as: UTF8.self)) }
    }
}
