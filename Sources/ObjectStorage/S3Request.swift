import CurlHTTP
import Foundation

/// One S3 API call before it becomes an HTTP request: what it addresses, for the URL and for error messages.
struct S3Request: Sendable {
    var method: String
    var bucket: String
    /// `nil` for bucket-level calls (ListObjectsV2, CreateBucket).
    var key: String?
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []
    var body: Data?

    /// SHA-256 of the empty string: the payload hash of every request without a body.
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The signed HTTP request for `settings`.
    ///
    /// S3 requires `x-amz-content-sha256`, and libcurl 7.88 does not add it (later versions do): it is set here,
    /// and libcurl then signs it and uses its value as the payload hash. Bodies go out as `UNSIGNED-PAYLOAD`,
    /// which S3 accepts and which spares hashing them (only tests upload).
    func httpRequest(settings: S3Settings) throws(ObjectStorageError) -> HTTPRequest {
        let url = try settings.addressing.url(endpoint: settings.endpoint, bucket: self.bucket, key: self.key, query: self.query)
        let payloadHash = (self.body?.isEmpty ?? true) ? Self.emptyPayloadHash : "UNSIGNED-PAYLOAD"
        let credentials = settings.credentials
        return HTTPRequest(
            method: self.method, url: url, headers: [("x-amz-content-sha256", payloadHash)] + self.headers, body: self.body,
            timeout: settings.requestTimeout, connectTimeout: settings.connectTimeout,
            authentication: .awsSigV4(
                provider: "aws:amz", region: settings.region, service: "s3", accessKey: credentials.accessKeyID,
                secretKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken))
    }

    /// `s3://bucket[/key]`, for messages.
    var location: String { "s3://\(self.bucket)" + (self.key.map { "/\($0)" } ?? "") }
}
