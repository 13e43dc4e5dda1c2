import CurlHTTP
import Foundation

/// Calls one MLflow tracking server's REST API 2.0 (`/api/2.0/mlflow/...`): GET with query parameters, POST,
/// PATCH and DELETE with JSON bodies, MLflow's error codes turned into `RegistryError`s that say what to do.
struct MLflowClient: Sendable {
    let baseURL: String
    let authentication: HTTPAuthentication
    let timeout: Duration
    let client: CurlHTTPClient

    init(baseURL: String, authentication: HTTPAuthentication, timeout: Duration, client: CurlHTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.authentication = authentication
        self.timeout = timeout
        self.client = client
    }

    /// A failed call: MLflow's `error_code` (nil when the server did not answer with one) and the status.
    struct Failure: Error {
        var status: Int
        var errorCode: String?
        var error: RegistryError
    }

    func get<T: Decodable>(_ path: String, _ query: [(String, String)] = [], as type: T.Type) async throws -> T {
        let url = self.baseURL + "/api/2.0/mlflow/" + path + Self.queryString(query)
        return try await self.decode(
            self.send(HTTPRequest(url: url, timeout: self.timeout, authentication: self.authentication), doing: path), as: type)
    }

    @discardableResult
    func post<T: Decodable>(_ path: String, _ body: [String: any Sendable], method: String = "POST", as type: T.Type = Empty.self) async throws -> T {
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        } catch {
            throw Failure(status: 0, errorCode: nil, error: RegistryError("cannot encode the MLflow request for \(path): \(error)"))
        }
        let request = HTTPRequest(
            method: method, url: self.baseURL + "/api/2.0/mlflow/" + path, headers: [("Content-Type", "application/json")], body: data,
            timeout: self.timeout, authentication: self.authentication)
        return try await self.decode(self.send(request, doing: path), as: type)
    }

    /// Uploads one file into a run's artifacts through the server's artifact proxy (`mlflow-artifacts:/` roots).
    func uploadArtifact(runArtifactURI: String, path: String, contents: Data) async throws {
        let prefix = "mlflow-artifacts:/"
        guard runArtifactURI.hasPrefix(prefix) else {
            throw Failure(
                status: 0, errorCode: nil,
                error: RegistryError(
                    "the MLflow run stores artifacts at \(runArtifactURI), which driftloop cannot write over REST; start the server with --serve-artifacts"
                ))
        }
        let root = String(runArtifactURI.dropFirst(prefix.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let encodedPath = path.split(separator: "/").map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0) }.joined(
            separator: "/")
        let request = HTTPRequest(
            method: "PUT", url: self.baseURL + "/api/2.0/mlflow-artifacts/artifacts/" + root + "/" + encodedPath,
            headers: [("Content-Type", "application/octet-stream")], body: contents, timeout: self.timeout, authentication: self.authentication)
        _ = try await self.send(request, doing: "upload artifact \(path)")
    }

    struct Empty: Decodable {}

    private func send(_ request: HTTPRequest, doing what: String) async throws -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await self.client.send(request)
        } catch let error as CurlError {
            throw Failure(
                status: 0, errorCode: nil,
                error: RegistryError("MLflow at \(self.baseURL) \(error.whatThePeerDid) (\(what)): \(error.message)", isTransient: error.isTransient))
        } catch {
            throw Failure(status: 0, errorCode: nil, error: RegistryError("MLflow at \(self.baseURL) failed (\(what)): \(error)", isTransient: true))
        }
        guard response.isSuccess else { throw self.failure(response, doing: what) }
        return response
    }

    private func decode<T: Decodable>(_ response: HTTPResponse, as type: T.Type) throws -> T {
        if T.self == Empty.self { return Empty() as! T }
        do {
            return try response.decode(type)
        } catch {
            throw Failure(
                status: response.status, errorCode: nil,
                error: RegistryError("MLflow at \(self.baseURL) answered in a form driftloop cannot read (\(error)): \(response.text.prefix(200))"))
        }
    }

    private func failure(_ response: HTTPResponse, doing what: String) -> Failure {
        let body = try? response.decode(MLflowPayloads.ErrorBody.self)
        let detail = body?.message ?? String(response.text.prefix(200))
        let code = body?.errorCode
        let message: String
        switch response.status {
        case 401:
            message = "MLflow at \(self.baseURL) rejected the credentials (\(what), HTTP 401); check registry.token_env or registry.user/password_env"
        case 403:
            message =
                "MLflow at \(self.baseURL) refused \(what) (HTTP 403: \(detail)); if it says Invalid Host header, start the server with --allowed-hosts"
        default:
            message = "MLflow at \(self.baseURL) failed to \(what) (HTTP \(response.status)\(code.map { " \($0)" } ?? ""): \(detail))"
        }
        let transient = response.status >= 500 || response.status == 429 || response.status == 408
        return Failure(
            status: response.status, errorCode: code, error: RegistryError(message + (transient ? "; retrying" : ""), isTransient: transient))
    }

    private static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return "?" + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
    }
}
