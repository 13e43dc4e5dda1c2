/// Where a bucket goes in a request URL.
package enum S3Addressing: String, Sendable, Equatable {
    /// `https://endpoint/bucket/key`: what MinIO, Ceph and moto need, and the default with a custom endpoint.
    case pathStyle
    /// `https://bucket.endpoint/key`: AWS's default.
    case virtualHosted

    /// The URL of a bucket (`key == nil`) or an object, with `query` in canonical order.
    ///
    /// Buckets with dots stay in the path even when virtual-hosted: `a.b.s3.amazonaws.com` does not match the
    /// wildcard TLS certificate.
    func url(endpoint: S3Endpoint, bucket: String, key: String?, query: [(name: String, value: String)] = []) throws(ObjectStorageError) -> String {
        var path: String
        var authority = endpoint.authority
        if self == .virtualHosted && !bucket.contains(".") {
            authority = "\(bucket).\(endpoint.authority)"
            path = endpoint.basePath + "/"
        } else {
            path = endpoint.basePath + "/" + S3URIEncoding.encodePath(bucket)
            if key != nil { path += "/" }
        }
        if let key {
            try Self.checkAddressable(key)
            path += S3URIEncoding.encodePath(key)
        }
        let queryString = query.isEmpty ? "" : "?" + S3URIEncoding.canonicalQuery(query)
        return "\(endpoint.scheme)://\(authority)\(path)\(queryString)"
    }

    /// libcurl removes `.` and `..` path segments before sending (RFC 3986 normalisation), which would fetch
    /// another object; such keys are refused rather than silently redirected.
    private static func checkAddressable(_ key: String) throws(ObjectStorageError) {
        guard !key.isEmpty else { throw .invalidKey(key: key, problem: "an object key must not be empty") }
        if key.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }) {
            throw .invalidKey(key: key, problem: "keys with '.' or '..' path segments are not supported (libcurl would normalise them away)")
        }
    }
}
