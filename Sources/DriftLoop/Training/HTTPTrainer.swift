import CurlHTTP
import Foundation

/// A trainer behind driftloop's HTTP trainer protocol: `POST {url}/train` → `202 {"job": ...}`,
/// `GET {url}/jobs/{id}` → status, metrics and model URI. The built-in trainer speaks it too.
package struct HTTPTrainer: Trainer {
    /// Where the trainer is: a fixed URL, or the built-in trainer, whose port is known once it is bound.
    enum Location: Sendable {
        case fixed(String)
        case builtin(BuiltinTrainerEndpoint)
    }

    let location: Location
    package var token: String?
    /// Whether the trainer must confirm every job with the digest of the request that made it. The built-in trainer
    /// always does; for another HTTP trainer a digest it sends is checked, and its absence is tolerated.
    package var requiresDigest: Bool
    private let client: CurlHTTPClient

    package init(baseURL: String, token: String? = nil, client: CurlHTTPClient, requiresDigest: Bool = false) {
        self.location = .fixed(baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL)
        self.token = token
        self.client = client
        self.requiresDigest = requiresDigest
    }

    /// The built-in trainer, which always proves its jobs' requests (it keeps their digests).
    package init(builtin endpoint: BuiltinTrainerEndpoint, token: String, client: CurlHTTPClient) {
        self.location = .builtin(endpoint)
        self.token = token
        self.client = client
        self.requiresDigest = true
    }

    /// The trainer's address for messages: the built-in trainer's is known once any call could have been made.
    package var baseURL: String {
        switch self.location {
        case .fixed(let url): url
        case .builtin(let endpoint): endpoint.knownURL ?? "the built-in trainer"
        }
    }

    private func resolvedBaseURL() async throws -> String {
        switch self.location {
        case .fixed(let url): url
        case .builtin(let endpoint): try await endpoint.url()
        }
    }

    private struct StartResponse: Decodable {
        var job: String
        var requestDigest: String?

        enum CodingKeys: String, CodingKey {
            case job
            case requestDigest = "request_digest"
        }
    }

    /// Starts the job, or finds the one this cycle started before. A trainer answers a repeated idempotency key with
    /// the existing job; that job is adopted only when the trainer confirms it was made from this very request (its
    /// `TrainingRequestDigest`), so nobody can plant a job under a cycle's key and have its model promoted.
    package func start(_ request: TrainingRequest, idempotencyKey: String) async throws -> String {
        let base = try await self.resolvedBaseURL()
        let httpRequest = try HTTPRequest.json(
            url: "\(base)/train", body: request, headers: [("Idempotency-Key", idempotencyKey)],
            authentication: self.token.map { .bearer(token: $0) } ?? .none)
        let digest = TrainingRequestDigest.digest(of: request)
        let response = try await self.send(httpRequest)
        if response.status == 409 {
            throw TrainerError(
                "trainer at \(self.baseURL) holds a job made from a different request under this cycle's idempotency key; refusing to adopt it (\(response.text.prefix(200)))",
                isTransient: false)
        }
        guard response.status == 202 || response.status == 200 else {
            throw Self.error(for: response, doing: "start training")
        }
        let answer: StartResponse
        do {
            answer = try response.decode(StartResponse.self)
        } catch {
            throw TrainerError(
                "trainer at \(self.baseURL) answered \(response.status) without a `job` field: \(response.text.prefix(200))", isTransient: false)
        }
        switch answer.requestDigest {
        case digest?:
            break
        case let other?:
            throw TrainerError(
                "trainer at \(self.baseURL) answered with job \(answer.job) made from a different request (digest \(other.prefix(16))…, expected \(digest.prefix(16))…); refusing to adopt it",
                isTransient: false)
        case nil where self.requiresDigest:
            throw TrainerError(
                "trainer at \(self.baseURL) did not confirm the request digest of job \(answer.job); refusing to adopt it", isTransient: false)
        case nil:
            break
        }
        return answer.job
    }

    package func status(jobId: String) async throws -> TrainingJobStatus {
        let escaped = jobId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? jobId
        let base = try await self.resolvedBaseURL()
        let response = try await self.send(
            HTTPRequest(url: "\(base)/jobs/\(escaped)", authentication: self.token.map { .bearer(token: $0) } ?? .none))
        guard response.status == 200 else { throw Self.error(for: response, doing: "read job \(jobId)") }
        do {
            return try response.decode(TrainingJobStatus.self)
        } catch {
            throw TrainerError(
                "trainer at \(self.baseURL) returned a job status driftloop cannot read (\(error)): \(response.text.prefix(200))", isTransient: false)
        }
    }

    private func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await self.client.send(request)
        } catch let error as CurlError {
            throw TrainerError("trainer at \(self.baseURL) \(error.whatThePeerDid): \(error.message)", isTransient: error.isTransient)
        }
    }

    private static func error(for response: HTTPResponse, doing what: String) -> TrainerError {
        let transient = response.status >= 500 || response.status == 429 || response.status == 408
        return TrainerError("trainer refused to \(what): HTTP \(response.status) \(response.text.prefix(300))", isTransient: transient)
    }
}
