import CurlHTTP
import Foundation

/// Reads objects from S3 or an S3-compatible server (MinIO, Ceph, moto) over libcurl, signing with SigV4.
///
/// Every method throws `ObjectStorageError` (or `CancellationError` when the task is cancelled). Transient
/// failures (5xx, timeouts, resets, partial transfers) are retried up to `settings.maxAttempts` times.
/// Transfers run on libcurl threads of their own (see `CurlHTTPClient`), never on Swift's cooperative pool.
package final class S3Client: Sendable {
    package let settings: S3Settings
    private let http: CurlHTTPClient
    private let classifier: S3ErrorClassifier
    private let retry: RetryPolicy

    package init(settings: S3Settings, http: CurlHTTPClient = CurlHTTPClient()) {
        self.settings = settings
        self.http = http
        self.classifier = S3ErrorClassifier(settings: settings)
        self.retry = RetryPolicy(maxAttempts: settings.maxAttempts)
    }

    // MARK: Objects

    /// Size and ETag of one object (HeadObject).
    package func head(bucket: String, key: String) async throws -> ObjectInfo {
        let response = try await self.perform(S3Request(method: "HEAD", bucket: bucket, key: key))
        guard let length = response.header("Content-Length").flatMap({ Int($0.trimmingWhitespace) }) else {
            throw ObjectStorageError.invalidResponse(url: "s3://\(bucket)/\(key)", problem: "HEAD answer without a Content-Length")
        }
        return ObjectInfo(bucket: bucket, key: key, size: length, etag: ObjectInfo.unquotedETag(response.header("ETag")))
    }

    /// The object's bytes, or the inclusive byte range `range` of them (`Range: bytes=a-b`).
    ///
    /// A range running past the end is cut at the end, as S3 does; one starting past it throws `rangeNotSatisfiable`.
    package func get(bucket: String, key: String, range: ClosedRange<Int>? = nil) async throws -> Data {
        guard let range else {
            return try await self.perform(S3Request(method: "GET", bucket: bucket, key: key)).body
        }
        let fetched = try await self.fetch(bucket: bucket, key: key, .bounded(range.lowerBound..<(range.upperBound + 1)))
        guard fetched.isWholeObject else { return fetched.bytes }
        // The server ignored Range: cut the range out of the whole object ourselves.
        let wanted = (range.lowerBound..<(range.upperBound + 1)).clamped(to: 0..<fetched.bytes.count)
        guard !wanted.isEmpty else {
            throw ObjectStorageError.rangeNotSatisfiable(
                url: "s3://\(bucket)/\(key)", range: "bytes=\(range.lowerBound)-\(range.upperBound)", objectSize: fetched.bytes.count)
        }
        return fetched.bytes.subdata(in: wanted)
    }

    /// The last `count` bytes (`Range: bytes=-count`) and the object's size from `Content-Range`, in one request:
    /// what a Parquet reader needs to find its footer. An object shorter than `count` comes back whole.
    package func getTail(bucket: String, key: String, count: Int) async throws -> ObjectTail {
        precondition(count > 0, "getTail needs a positive count")
        let fetched: FetchedRange
        do {
            fetched = try await self.fetch(bucket: bucket, key: key, .suffix(count))
        } catch ObjectStorageError.rangeNotSatisfiable {
            // S3 answers 416 to a suffix range on an empty object; the tail of nothing is empty.
            let info = try await self.head(bucket: bucket, key: key)
            guard info.size == 0 else {
                throw ObjectStorageError.rangeNotSatisfiable(url: "s3://\(bucket)/\(key)", range: "bytes=-\(count)", objectSize: info.size)
            }
            return ObjectTail(bytes: Data(), objectSize: 0)
        }
        if fetched.isWholeObject {
            return ObjectTail(bytes: Data(fetched.bytes.suffix(count)), objectSize: fetched.bytes.count)
        }
        guard let size = fetched.objectSize else {
            throw ObjectStorageError.invalidResponse(url: "s3://\(bucket)/\(key)", problem: "Content-Range without the object size (bytes a-b/*)")
        }
        return ObjectTail(bytes: fetched.bytes, objectSize: size)
    }

    /// Fetches `ranges` of one object (and its last `tail` bytes) concurrently into a `RangeCache` that answers
    /// reads synchronously. Near ranges are coalesced and at most `options.maxConcurrentRequests` run at once.
    package func prefetch(
        bucket: String, key: String, ranges: [Range<Int>], tail: Int? = nil, options: PrefetchOptions = PrefetchOptions()
    ) async throws -> RangeCache {
        let source = S3ObjectRangeSource(client: self, bucket: bucket, key: key)
        return try await RangePrefetcher(source: source, options: options).prefetch(ranges: ranges, tail: tail)
    }

    // MARK: Listing

    /// Every object whose key starts with `prefix`, in S3's key order, following continuation tokens across
    /// pages (ListObjectsV2). `pageSize` sets `max-keys` (S3 caps it at 1000, its default).
    package func list(bucket: String, prefix: String = "", pageSize: Int? = nil) async throws -> [ObjectInfo] {
        var objects: [ObjectInfo] = []
        var continuationToken: String?
        var seenTokens: Set<String> = []
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2")]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let pageSize { query.append(("max-keys", String(min(1000, max(1, pageSize))))) }
            if let continuationToken { query.append(("continuation-token", continuationToken)) }
            let request = S3Request(method: "GET", bucket: bucket, key: nil, query: query)
            let response = try await self.perform(request)
            let page: ListObjectsPage
            do {
                page = try ListObjectsPage.parse(response.body)
            } catch {
                throw ObjectStorageError.invalidResponse(url: request.location, problem: "ListObjectsV2: \(error.problem)")
            }
            objects += page.entries.map { ObjectInfo(bucket: bucket, key: $0.key, size: $0.size, etag: $0.etag) }
            guard page.isTruncated else { break }
            guard let next = page.nextContinuationToken else {
                throw ObjectStorageError.invalidResponse(url: request.location, problem: "a truncated listing page without NextContinuationToken")
            }
            guard seenTokens.insert(next).inserted else {
                throw ObjectStorageError.invalidResponse(url: request.location, problem: "the listing repeated a continuation token")
            }
            continuationToken = next
        } while true
        return objects
    }

    /// The objects a location names, sorted by key: the object itself (HEAD), everything under a prefix, or
    /// what a glob matches. Throws `nothingMatched` when a prefix or glob finds nothing.
    package func resolve(_ location: S3Location, pageSize: Int? = nil) async throws -> [ObjectInfo] {
        switch location.kind {
        case .object(let key):
            return [try await self.head(bucket: location.bucket, key: key)]
        case .prefix(let prefix):
            let objects = try await self.list(bucket: location.bucket, prefix: prefix, pageSize: pageSize)
            guard !objects.isEmpty else { throw ObjectStorageError.nothingMatched(location: location.text, listedPrefix: prefix, listedCount: 0) }
            return Self.sortedByKey(objects)
        case .glob(let pattern):
            let listed = try await self.list(bucket: location.bucket, prefix: pattern.literalPrefix, pageSize: pageSize)
            let matching = listed.filter { pattern.matches($0.key) }
            guard !matching.isEmpty else {
                throw ObjectStorageError.nothingMatched(location: location.text, listedPrefix: pattern.literalPrefix, listedCount: listed.count)
            }
            return Self.sortedByKey(matching)
        }
    }

    /// S3's order: keys compared as UTF-8 bytes (Swift's `<` on String compares by Unicode rules instead).
    private static func sortedByKey(_ objects: [ObjectInfo]) -> [ObjectInfo] {
        objects.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    // MARK: Writing (for tests and fixtures)

    /// Uploads `body` as one object (PutObject).
    package func put(bucket: String, key: String, body: Data, contentType: String = "application/octet-stream") async throws {
        _ = try await self.perform(S3Request(method: "PUT", bucket: bucket, key: key, headers: [("Content-Type", contentType)], body: body))
    }

    /// Creates a bucket in the signing region's default location (no LocationConstraint: us-east-1 and
    /// S3-compatible servers).
    package func createBucket(_ bucket: String) async throws {
        _ = try await self.perform(S3Request(method: "PUT", bucket: bucket, key: nil, body: Data()))
    }

    // MARK: Transport

    /// One Range request, answered 206 (or 200 when the server ignored Range).
    func fetch(bucket: String, key: String, _ range: ByteRangeRequest) async throws -> FetchedRange {
        let request = S3Request(method: "GET", bucket: bucket, key: key, headers: [("Range", range.headerValue)])
        let response = try await self.perform(request, range: range.headerValue)
        return try FetchedRange.from(response, request: range, url: request.location)
    }

    /// Sends `request` (retrying transient failures) and returns a 2xx answer; anything else throws.
    private func perform(_ request: S3Request, range: String? = nil) async throws -> HTTPResponse {
        let httpRequest = try request.httpRequest(settings: self.settings)
        return try await self.retry.run {
            let response: HTTPResponse
            do {
                response = try await self.http.send(httpRequest)
            } catch let error as CurlError {
                throw self.classifier.error(for: error)
            }
            if response.isSuccess { return response }
            var errorBody = S3ErrorResponse.parse(response.body)
            if errorBody == nil, request.method == "HEAD", [400, 403, 404].contains(response.status) {
                errorBody = await self.errorCodeBehindHead(request)
            }
            throw self.classifier.error(status: response.status, body: errorBody, request: request, url: request.location, range: range)
        }
    }

    /// A HEAD answer has no body, so a 404 cannot tell a missing key from a missing bucket, nor a 403 a bad
    /// secret from a missing permission. The same request as a one-byte GET brings S3's error document.
    private func errorCodeBehindHead(_ request: S3Request) async -> S3ErrorResponse? {
        var probe = request
        probe.method = "GET"
        probe.headers.append(("Range", "bytes=0-0"))
        guard let httpRequest = try? probe.httpRequest(settings: self.settings),
            let response = try? await self.http.send(httpRequest), !response.isSuccess
        else { return nil }
        return S3ErrorResponse.parse(response.body)
    }
}

/// The end of an object, as `S3Client.getTail` returns it.
package struct ObjectTail: Sendable {
    /// The last bytes (all of them when the object is shorter than asked).
    package let bytes: Data
    /// The object's full size.
    package let objectSize: Int
}
