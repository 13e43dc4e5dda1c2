import CurlHTTP

/// Why an object-storage operation failed, worded to say what to fix.
///
/// No case carries a secret key or session token, so `description` cannot leak one; access key ids are
/// shown, as S3 itself shows them, because they are what one needs to find the right key.
package enum ObjectStorageError: Error, Sendable, CustomStringConvertible {
    /// Text that is not an `s3://` location.
    case invalidLocation(text: String, problem: String)
    /// A key this client cannot address (see `S3Addressing`).
    case invalidKey(key: String, problem: String)
    /// A setting (endpoint, region) with an unusable value.
    case invalidSettings(setting: String, value: String, problem: String)
    /// Neither the environment nor a credentials file gave a key pair.
    case noCredentials(lookedFor: [String])
    /// Half a key pair.
    case incompleteCredentials(source: CredentialSource, missing: String)
    case credentialsFileUnreadable(path: String, reason: String)
    case credentialsFileInvalid(path: String, line: Int, problem: String)
    case credentialsProfileMissing(path: String, profile: String, available: [String])
    /// S3 refused the key pair or token: `InvalidAccessKeyId`, `SignatureDoesNotMatch`, `InvalidToken`, `ExpiredToken`.
    case credentialsRejected(code: String, accessKeyID: String, source: CredentialSource, endpoint: String)
    /// The key pair is valid but lacks permission.
    case accessDenied(bucket: String, key: String?, accessKeyID: String, source: CredentialSource)
    /// Requests were signed for a region the bucket is not in.
    case wrongRegion(region: String, serverMessage: String?)
    case noSuchBucket(bucket: String, endpoint: String)
    case noSuchKey(bucket: String, key: String)
    /// Nobody answered at the S3 endpoint (refused, unresolvable, TLS failure).
    case endpointUnreachable(endpoint: String, curlError: CurlError)
    /// The exchange broke off: timeout, reset, partial transfer.
    case transferFailed(url: String, curlError: CurlError)
    /// Fewer bytes arrived than the response announced.
    case incompleteBody(url: String, expected: Int, received: Int)
    /// A 5xx answer (or S3's `SlowDown`).
    case serverError(status: Int, code: String?, message: String?, url: String)
    /// Any other answer this client does not expect.
    case unexpectedResponse(status: Int, code: String?, message: String?, url: String)
    /// An answer that could not be understood (malformed XML, Content-Range, paging).
    case invalidResponse(url: String, problem: String)
    /// A prefix or glob with no matching object.
    case nothingMatched(location: String, listedPrefix: String, listedCount: Int)
    /// A range starting at or past the end of the object (416).
    case rangeNotSatisfiable(url: String, range: String, objectSize: Int?)
    /// A `RangeCache` read outside the bytes that were prefetched.
    case rangeNotFetched(object: String, offset: Int, count: Int, fetched: [Range<Int>])

    /// Worth retrying: the server or the network failed, not the request.
    package var isTransient: Bool {
        switch self {
        case .serverError, .incompleteBody: true
        case .endpointUnreachable(_, let error), .transferFailed(_, let error):
            // 18: CURLE_PARTIAL_FILE, the connection closed before the announced length arrived.
            error.isTransient || error.code == 18
        default: false
        }
    }

    package var description: String {
        switch self {
        case .invalidLocation(let text, let problem):
            return "'\(text)' is not an S3 location: \(problem). Expected s3://bucket/key, s3://bucket/prefix/ or a glob such as "
                + "s3://bucket/logs/date=2026-12-0*/part-*.parquet (* ? [...] in the key only)."
        case .invalidKey(let key, let problem):
            return "S3 key '\(key)' cannot be used: \(problem)."
        case .invalidSettings(let setting, let value, let problem):
            return "S3 setting \(setting) = '\(value)' is unusable: \(problem)."
        case .noCredentials(let lookedFor):
            return "No S3 credentials: none of \(lookedFor.joined(separator: ", ")) is set. Set AWS_ACCESS_KEY_ID and "
                + "AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary credentials), or pass a credentials file."
        case .incompleteCredentials(let source, let missing):
            return "Incomplete S3 credentials in \(source): \(missing) is missing or empty."
        case .credentialsFileUnreadable(let path, let reason):
            return "Cannot read the S3 credentials file \(path): \(reason). Fix the path or create the file with a [default] profile."
        case .credentialsFileInvalid(let path, let line, let problem):
            return "The S3 credentials file \(path) is malformed at line \(line): \(problem)."
        case .credentialsProfileMissing(let path, let profile, let available):
            let have = available.isEmpty ? "it has no profiles" : "it has \(available.map { "[\($0)]" }.joined(separator: ", "))"
            return "The S3 credentials file \(path) has no profile [\(profile)] (\(have)). Add the profile or choose another."
        case .credentialsRejected(let code, let accessKeyID, let source, let endpoint):
            switch code {
            case "InvalidAccessKeyId", "InvalidClientTokenId":
                return "S3 at \(endpoint) does not know access key id \(accessKeyID) (\(code)). Fix \(source.accessKeySetting)."
            case "SignatureDoesNotMatch":
                return "S3 at \(endpoint) rejected the signature for access key id \(accessKeyID) (\(code)): the secret key does not "
                    + "belong to that key. Fix \(source.secretKeySetting)."
            case "InvalidToken", "ExpiredToken", "TokenRefreshRequired":
                return "S3 at \(endpoint) rejected the session token sent with access key id \(accessKeyID) (\(code)). Refresh "
                    + "\(source.sessionTokenSetting) together with the key pair, or unset it for long-term keys."
            default:
                return "S3 at \(endpoint) rejected the credentials for access key id \(accessKeyID) (\(code)). Check \(source)."
            }
        case .accessDenied(let bucket, let key, let accessKeyID, let source):
            let target = key.map { "s3://\(bucket)/\($0)" } ?? "s3://\(bucket)"
            return "S3 denied access to \(target) for access key id \(accessKeyID) (AccessDenied; credentials from \(source)). "
                + "Grant that key s3:GetObject and s3:ListBucket on the bucket, or use another key."
        case .wrongRegion(let region, let message):
            return "S3 requests were signed for region \(region), which is not the bucket's region"
                + (message.map { " (S3 says: \($0))" } ?? "") + ". Set AWS_REGION to the bucket's region."
        case .noSuchBucket(let bucket, let endpoint):
            return "S3 bucket '\(bucket)' does not exist at \(endpoint) (NoSuchBucket). Check the bucket name, or the endpoint "
                + "(AWS_ENDPOINT_URL_S3) if the bucket lives on another server."
        case .noSuchKey(let bucket, let key):
            return "s3://\(bucket)/\(key) does not exist (NoSuchKey). Check the key; list the prefix to see what is there."
        case .endpointUnreachable(let endpoint, let error):
            return "Cannot reach the S3 endpoint \(endpoint): \(error.message) (curl error \(error.code)). Is the server running? "
                + "To use another endpoint set AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL)."
        case .transferFailed(let url, let error):
            return "Transfer from \(url) failed: \(error.message) (curl error \(error.code))\(self.isTransient ? "; retrying may help" : "")."
        case .incompleteBody(let url, let expected, let received):
            return "Transfer from \(url) ended early: \(received) of \(expected) bytes arrived; retrying may help."
        case .serverError(let status, let code, let message, let url):
            return "Server error \(status)\(Self.codeAndMessage(code, message)) from \(url); retrying later may help."
        case .unexpectedResponse(let status, let code, let message, let url):
            return "Unexpected HTTP \(status)\(Self.codeAndMessage(code, message)) from \(url)."
        case .invalidResponse(let url, let problem):
            return "Could not understand the answer from \(url): \(problem)."
        case .nothingMatched(let location, let prefix, let count):
            return "Nothing matches \(location): listing prefix '\(prefix)' found \(count) object\(count == 1 ? "" : "s"), none "
                + "matching. Check the bucket, prefix and pattern (* and ? stop at '/')."
        case .rangeNotSatisfiable(let url, let range, let size):
            return "Range \(range) lies outside \(url)" + (size.map { " (object size \($0) bytes)" } ?? "") + "."
        case .rangeNotFetched(let object, let offset, let count, let fetched):
            let ranges = fetched.prefix(8).map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ")
            return "Bytes \(offset)..<\(offset + count) of \(object) were not prefetched (have \(ranges.isEmpty ? "none" : ranges)"
                + "\(fetched.count > 8 ? ", ..." : "")). Add the range to the prefetch list."
        }
    }

    private static func codeAndMessage(_ code: String?, _ message: String?) -> String {
        switch (code, message) {
        case (let code?, let message?): " \(code): \(message)"
        case (let code?, nil): " \(code)"
        case (nil, let message?): ": \(message)"
        case (nil, nil): ""
        }
    }
}
