import CurlHTTP

/// Turns S3's answers and libcurl's failures into `ObjectStorageError`s that say what to fix.
struct S3ErrorClassifier: Sendable {
    let settings: S3Settings

    /// The error for a non-2xx answer to `request`, from S3's error code when the body has one.
    func error(status: Int, body: S3ErrorResponse?, request: S3Request, url: String, range: String? = nil) -> ObjectStorageError {
        let credentials = self.settings.credentials
        let endpoint = self.settings.endpointURL
        if let body {
            switch body.code {
            case "InvalidAccessKeyId", "InvalidClientTokenId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "TokenRefreshRequired":
                return .credentialsRejected(code: body.code, accessKeyID: credentials.accessKeyID, source: credentials.source, endpoint: endpoint)
            case "AccessDenied", "AllAccessDisabled":
                return .accessDenied(bucket: request.bucket, key: request.key, accessKeyID: credentials.accessKeyID, source: credentials.source)
            case "NoSuchBucket":
                return .noSuchBucket(bucket: request.bucket, endpoint: endpoint)
            case "NoSuchKey":
                return .noSuchKey(bucket: request.bucket, key: request.key ?? "")
            case "AuthorizationHeaderMalformed", "PermanentRedirect", "IllegalLocationConstraintException":
                return .wrongRegion(region: self.settings.region, serverMessage: body.message)
            case "InvalidRange":
                return .rangeNotSatisfiable(url: request.location, range: range ?? "?", objectSize: nil)
            case "SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout":
                return .serverError(status: status, code: body.code, message: body.message, url: url)
            default:
                return status >= 500
                    ? .serverError(status: status, code: body.code, message: body.message, url: url)
                    : .unexpectedResponse(status: status, code: body.code, message: body.message, url: url)
            }
        }
        switch status {
        case 404 where request.key != nil: return .noSuchKey(bucket: request.bucket, key: request.key ?? "")
        case 404: return .noSuchBucket(bucket: request.bucket, endpoint: endpoint)
        case 403: return .accessDenied(bucket: request.bucket, key: request.key, accessKeyID: credentials.accessKeyID, source: credentials.source)
        case 416: return .rangeNotSatisfiable(url: request.location, range: range ?? "?", objectSize: nil)
        case 500...: return .serverError(status: status, code: nil, message: nil, url: url)
        default: return .unexpectedResponse(status: status, code: nil, message: nil, url: url)
        }
    }

    /// Nobody answered: refused, unresolvable or TLS failures name the endpoint; the rest are transfer failures.
    func error(for curlError: CurlError) -> ObjectStorageError {
        switch curlError.code {
        // COULDNT_RESOLVE_PROXY, COULDNT_RESOLVE_HOST, COULDNT_CONNECT, SSL_CONNECT_ERROR, PEER_FAILED_VERIFICATION
        case 5, 6, 7, 35, 60: .endpointUnreachable(endpoint: self.settings.endpointURL, curlError: curlError)
        default: .transferFailed(url: curlError.url, curlError: curlError)
        }
    }
}
