import Foundation

/// One outgoing HTTP request, as a value.
public struct HTTPRequest: Sendable {
    /// HTTP method; `GET` by default.
    public var method: String
    /// Absolute URL (`http://` or `https://`).
    public var url: String
    /// Request headers in the order they are sent.
    public var headers: [(name: String, value: String)]
    /// Request body; `nil` sends none.
    public var body: Data?
    /// Limit on the whole exchange, connection included. Default: 30 s.
    public var timeout: Duration
    /// Limit on establishing the connection. Default: 10 s.
    package var connectTimeout: Duration
    /// Credentials sent with the request. Default: none.
    package var authentication: HTTPAuthentication
    /// Follow 3xx responses (at most 10). Default: `false`, because callers such as the Jenkins
    /// trainer need the `Location` of a 201/303 themselves.
    package var followsRedirects: Bool

    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: Data? = nil,
        timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        authentication: HTTPAuthentication = .none,
        followsRedirects: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.authentication = authentication
        self.followsRedirects = followsRedirects
    }

    /// A JSON request: encodes `value` and sets `Content-Type: application/json`.
    package static func json(
        method: String = "POST", url: String, body: some Encodable, headers: [(name: String, value: String)] = [],
        authentication: HTTPAuthentication = .none, timeout: Duration = .seconds(30)
    ) throws -> HTTPRequest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return HTTPRequest(
            method: method, url: url, headers: headers + [("Content-Type", "application/json")],
            body: try encoder.encode(body), timeout: timeout, authentication: authentication)
    }
}

/// Credentials for a request. Secrets stay out of `description` so they never reach a log.
public enum HTTPAuthentication: Sendable, CustomStringConvertible {
    case none
    case basic(user: String, password: String)
    case bearer(token: String)
    /// AWS Signature Version 4, computed by libcurl (`CURLOPT_AWS_SIGV4`) for S3 and S3-compatible servers.
    ///
    /// `provider` is libcurl's `provider1[:provider2]`: `"aws:amz"` signs as `AWS4-HMAC-SHA256` with
    /// `X-Amz-Date`, which AWS, MinIO, Ceph and moto expect. `sessionToken`, for temporary credentials, goes out
    /// as a signed `x-amz-security-token` header. libcurl 7.88 signs the path and query exactly as given, so
    /// the caller must send them already in canonical form (percent-encoded, query parameters sorted).
    case awsSigV4(provider: String, region: String, service: String, accessKey: String, secretKey: String, sessionToken: String?)

    public var description: String {
        switch self {
        case .none: "none"
        case .basic(let user, _): "basic(\(user), ***)"
        case .bearer: "bearer(***)"
        case .awsSigV4(let provider, let region, let service, let accessKey, _, let sessionToken):
            "awsSigV4(\(provider):\(region):\(service), \(accessKey), ***\(sessionToken == nil ? "" : ", session token ***"))"
        }
    }
}
