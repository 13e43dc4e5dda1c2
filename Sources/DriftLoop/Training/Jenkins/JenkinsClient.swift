import CurlHTTP
import Foundation

/// Calls one Jenkins server the way its remote-access API expects: basic auth with an API token, and the CSRF
/// crumb for POSTs, fetched lazily once and refetched when Jenkins rejects it. The crumb is bound to the web
/// session, so the libcurl client's cookie jar sends the session cookie back with it.
actor JenkinsClient {
    enum CrumbState {
        case unknown
        /// `/crumbIssuer/api/json` answered 404: CSRF protection is off.
        case notNeeded
        case crumb(field: String, value: String)
    }

    nonisolated let baseURL: String
    private let authentication: HTTPAuthentication
    private let user: String?
    private let requestTimeout: Duration
    private let client: CurlHTTPClient
    private var crumbState = CrumbState.unknown

    init(baseURL: String, user: String?, token: String?, requestTimeout: Duration, client: CurlHTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.user = user
        self.authentication = user.map { .basic(user: $0, password: token ?? "") } ?? .none
        self.requestTimeout = requestTimeout
        self.client = client
    }

    /// `/job/a/job/b` for the full name `a/b`, each segment percent-encoded.
    nonisolated func jobPath(_ fullName: String) -> String {
        fullName.split(separator: "/").map { "/job/" + Self.encodeSegment(String($0)) }.joined()
    }

    /// Jenkins writes absolute URLs with its configured root URL, which may not be the address driftloop reaches
    /// it at (a proxy, a container name). Keep the path and use the configured base.
    nonisolated func rebase(_ url: String) -> String {
        guard let given = URLComponents(string: url), let base = URLComponents(string: self.baseURL), given.host != nil else {
            return url.hasPrefix("/") ? self.baseURL + url : self.baseURL + "/" + url
        }
        let basePath = base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path
        var path = given.percentEncodedPath
        if !basePath.isEmpty, path.hasPrefix(basePath) { path.removeFirst(basePath.count) }
        return self.baseURL + path + (given.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    func get(_ pathOrURL: String) async throws -> HTTPResponse {
        try await self.send(HTTPRequest(url: self.absolute(pathOrURL), timeout: self.requestTimeout, authentication: self.authentication))
    }

    /// POSTs with the crumb when Jenkins wants one; a rejected crumb is refetched and the POST sent once more.
    func post(_ pathOrURL: String, form: [(String, String)] = []) async throws -> HTTPResponse {
        var refreshed = false
        while true {
            var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded")]
            if case .crumb(let field, let value) = try await self.crumb() { headers.append((field, value)) }
            let body = Data(form.map { "\(Self.encodeForm($0.0))=\(Self.encodeForm($0.1))" }.joined(separator: "&").utf8)
            let response = try await self.send(
                HTTPRequest(
                    method: "POST", url: self.absolute(pathOrURL), headers: headers, body: body, timeout: self.requestTimeout,
                    authentication: self.authentication))
            if response.status == 403, response.text.contains("No valid crumb"), !refreshed {
                refreshed = true
                self.crumbState = .unknown
                continue
            }
            return response
        }
    }

    private func crumb() async throws -> CrumbState {
        if case .unknown = self.crumbState {
            let response = try await self.get("/crumbIssuer/api/json")
            switch response.status {
            case 200:
                guard let crumb = try? response.decode(JenkinsPayloads.Crumb.self) else {
                    throw TrainerError(
                        "Jenkins at \(self.baseURL) answered /crumbIssuer/api/json with a body driftloop cannot read", isTransient: false)
                }
                self.crumbState = .crumb(field: crumb.crumbRequestField, value: crumb.crumb)
            case 404:
                self.crumbState = .notNeeded
            default:
                throw self.failure(response, doing: "get a CSRF crumb")
            }
        }
        return self.crumbState
    }

    private nonisolated func absolute(_ pathOrURL: String) -> String {
        pathOrURL.hasPrefix("http://") || pathOrURL.hasPrefix("https://") ? pathOrURL : self.baseURL + pathOrURL
    }

    private func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await self.client.send(request)
        } catch let error as CurlError {
            throw TrainerError("Jenkins at \(self.baseURL) \(error.whatThePeerDid): \(error.message)", isTransient: error.isTransient)
        }
    }

    /// The error for an answer driftloop cannot go on with; server errors are transient, refusals are not.
    nonisolated func failure(_ response: HTTPResponse, doing what: String) -> TrainerError {
        let snippet = Self.plainText(response.text).prefix(200)
        switch response.status {
        case 401:
            return TrainerError(
                "Jenkins rejected the credentials\(self.user.map { " of user `\($0)`" } ?? "") trying to \(what) (HTTP 401); check the API token (trainer.token_env or trainer.token_file)",
                isTransient: false)
        case 403:
            let permission = response.header("X-Required-Permission").map { "; the user lacks \($0)" } ?? ""
            return TrainerError("Jenkins refused to \(what) (HTTP 403: \(snippet))\(permission)", isTransient: false)
        case 404:
            return TrainerError("Jenkins has no such job, build or item, or the user cannot see it, trying to \(what) (HTTP 404)", isTransient: false)
        case 408, 429, 500...599:
            return TrainerError("Jenkins failed to \(what) (HTTP \(response.status): \(snippet)); retrying", isTransient: true)
        default:
            return TrainerError("Jenkins refused to \(what) (HTTP \(response.status): \(snippet))", isTransient: false)
        }
    }

    /// Jenkins' error pages are HTML; keep their text for a readable message.
    private nonisolated static func plainText(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces)
    }

    private nonisolated static func encodeSegment(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? segment
    }

    private nonisolated static func encodeForm(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._*"))) ?? text
    }
}
