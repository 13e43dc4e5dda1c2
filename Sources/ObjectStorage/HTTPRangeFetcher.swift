import CurlHTTP
import Foundation

/// Byte ranges of a file on any HTTP(S) server, for the same synchronous `RangeCache` reads as S3 objects.
///
/// Sends `Range` requests; a server that ignores them and answers 200 with the whole file is handled by
/// keeping that whole body (the first request goes alone, so such a server is asked only once).
package struct HTTPRangeFetcher: Sendable, RangeSource {
    /// The file's URL.
    package let url: String
    private let http: CurlHTTPClient
    private let headers: [(name: String, value: String)]
    private let authentication: HTTPAuthentication
    private let timeout: Duration
    private let retry: RetryPolicy

    /// - Parameters:
    ///   - headers: extra request headers (not `Range`, which is set per request).
    ///   - maxAttempts: tries per request when the failure is transient.
    package init(
        url: String, http: CurlHTTPClient = CurlHTTPClient(), headers: [(name: String, value: String)] = [],
        authentication: HTTPAuthentication = .none, timeout: Duration = .seconds(60), maxAttempts: Int = 3
    ) {
        self.url = url
        self.http = http
        self.headers = headers
        self.authentication = authentication
        self.timeout = timeout
        self.retry = RetryPolicy(maxAttempts: maxAttempts)
    }

    /// Fetches `ranges` (and the last `tail` bytes) into a `RangeCache`; see `S3Client.prefetch`.
    package func prefetch(ranges: [Range<Int>], tail: Int? = nil, options: PrefetchOptions = PrefetchOptions()) async throws -> RangeCache {
        try await RangePrefetcher(source: self, options: options).prefetch(ranges: ranges, tail: tail)
    }

    /// The bytes of `range` (fewer when the file ends first).
    package func get(range: Range<Int>) async throws -> Data {
        let fetched = try await self.fetch(.bounded(range))
        guard fetched.isWholeObject else { return fetched.bytes }
        return fetched.bytes.subdata(in: range.clamped(to: 0..<fetched.bytes.count))
    }

    // MARK: RangeSource

    var objectDescription: String { self.redactedURL }
    var mayIgnoreRange: Bool { true }

    func fetch(_ request: ByteRangeRequest) async throws -> FetchedRange {
        let httpRequest = HTTPRequest(
            method: "GET", url: self.url, headers: self.headers + [("Range", request.headerValue)], timeout: self.timeout,
            authentication: self.authentication, followsRedirects: true)
        return try await self.retry.run {
            let response: HTTPResponse
            do {
                response = try await self.http.send(httpRequest)
            } catch let error as CurlError {
                throw ObjectStorageError.transferFailed(url: self.redactedURL, curlError: error)
            }
            switch response.status {
            case 200, 206:
                return try FetchedRange.from(response, request: request, url: self.redactedURL)
            case 416:
                let size = response.header("Content-Range").flatMap(ContentRange.parse)?.completeLength
                throw ObjectStorageError.rangeNotSatisfiable(url: self.redactedURL, range: request.headerValue, objectSize: size)
            case 500...:
                throw ObjectStorageError.serverError(status: response.status, code: nil, message: nil, url: self.redactedURL)
            default:
                throw ObjectStorageError.unexpectedResponse(status: response.status, code: nil, message: nil, url: self.redactedURL)
            }
        }
    }

    /// The URL without a password, for messages.
    private var redactedURL: String {
        guard var components = URLComponents(string: self.url), components.password != nil else { return self.url }
        components.password = "***"
        return components.string ?? self.url
    }
}
