import CurlHTTP
import Foundation

/// A trainer behind driftloop's HTTP trainer protocol: `POST {url}/train` → `202 {"job": ...}`,
/// `GET {url}/jobs/{id}` → status, metrics and model URI. The built-in trainer speaks it too.
public struct HTTPTrainer: Trainer {
    public var baseURL: String
    public var token: String?
    private let client: CurlHTTPClient

    public init(baseURL: String, token: String? = nil, client: CurlHTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.client = client
    }

    private struct StartResponse: Decodable {
        var job: String
    }

    public func start(_ request: TrainingRequest, idempotencyKey: String) async throws -> String {
        let httpRequest = try HTTPRequest.json(
            url: "\(self.baseURL)/train", body: request, headers: [("Idempotency-Key", idempotencyKey)],
            authentication: self.token.map { .bearer(token: $0) } ?? .none)
        let response = try await self.send(httpRequest)
        guard response.status == 202 || response.status == 200 else {
            throw Self.error(for: response, doing: "start training")
        }
        do {
            return try response.decode(StartResponse.self).job
        } catch {
            throw TrainerError("trainer at \(self.baseURL) answered \(response.status) without a `job` field: \(response.text.prefix(200))", isTransient: false)
        }
    }

    public func status(jobId: String) async throws -> TrainingJobStatus {
        let escaped = jobId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? jobId
        let response = try await self.send(
            HTTPRequest(url: "\(self.baseURL)/jobs/\(escaped)", authentication: self.token.map { .bearer(token: $0) } ?? .none))
        guard response.status == 200 else { throw Self.error(for: response, doing: "read job \(jobId)") }
        do {
            return try response.decode(TrainingJobStatus.self)
        } catch {
            throw TrainerError("trainer at \(self.baseURL) returned a job status driftloop cannot read (\(error)): \(response.text.prefix(200))", isTransient: false)
        }
    }

    private func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await self.client.send(request)
        } catch let error as CurlError {
            throw TrainerError("trainer at \(self.baseURL) is unreachable: \(error.message)", isTransient: error.isTransient)
        }
    }

    private static func error(for response: HTTPResponse, doing what: String) -> TrainerError {
        let transient = response.status >= 500 || response.status == 429 || response.status == 408
        return TrainerError("trainer refused to \(what): HTTP \(response.status) \(response.text.prefix(300))", isTransient: transient)
    }
}
