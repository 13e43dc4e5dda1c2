import Foundation

/// The base URL of an S3 service, split so bucket names can go in the host (virtual-hosted) or the path.
struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`.
    let scheme: String
    /// `host[:port]` exactly as given (an IPv6 host keeps its brackets).
    let authority: String
    /// A path prefix the service is mounted under, without a trailing `/` (usually empty).
    let basePath: String

    /// The AWS endpoint for a region.
    static func aws(region: String) -> S3Endpoint {
        S3Endpoint(scheme: "https", authority: "s3.\(region).amazonaws.com", basePath: "")
    }

    /// Parses `http(s)://host[:port][/path]`; `setting` names where the text came from, for the error.
    static func parse(_ text: String, setting: String) throws(ObjectStorageError) -> S3Endpoint {
        let trimmed = text.trimmingWhitespace
        func invalid(_ problem: String) -> ObjectStorageError {
            .invalidSettings(setting: setting, value: text, problem: problem + "; expected http(s)://host[:port], e.g. http://127.0.0.1:9000")
        }
        guard let schemeEnd = trimmed.range(of: "://") else { throw invalid("no scheme") }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw invalid("the scheme must be http or https") }
        let rest = trimmed[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        guard !authority.isEmpty else { throw invalid("no host") }
        guard !authority.contains("@") else { throw invalid("credentials in the URL are not used; remove user:password@") }
        var path = String(rest[authorityEnd...])
        guard !path.contains("?"), !path.contains("#") else { throw invalid("a query or fragment is not allowed") }
        while path.hasSuffix("/") { path.removeLast() }
        return S3Endpoint(scheme: scheme, authority: authority, basePath: path)
    }

    var description: String { "\(self.scheme)://\(self.authority)\(self.basePath)" }
}
