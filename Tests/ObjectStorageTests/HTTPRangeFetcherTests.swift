import CurlHTTP
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import ObjectStorage

/// `HTTPRangeFetcher` against a real HTTP server on 127.0.0.1: one route that honours Range, one that ignores it.
@Suite struct HTTPRangeFetcherTests {
    static let file = TestS3.bytes(count: 300_000, seed: 3)

    /// Requests seen per route.
    final class Hits: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func record(_ route: String) { self.counts.withLock { $0[route, default: 0] += 1 } }
        func count(_ route: String) -> Int { self.counts.withLock { $0[route] ?? 0 } }
    }

    /// `bytes=a-b` or `bytes=-n` against a file of `size` bytes; `nil` when absent or unparsable.
    static func requestedRange(_ header: String?, size: Int) -> Range<Int>? {
        guard let header, header.hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty, let count = Int(parts[1]) { return max(0, size - count)..<size }
        guard let first = Int(parts[0]), let last = Int(parts[1]) else { return nil }
        // Starting past the end: an empty range there, which the route answers with 416.
        return first >= size ? first..<first : first..<min(size, last + 1)
    }

    func withServer(_ body: @Sendable (String, Hits) async throws -> Void) async throws {
        let hits = Hits()
        let router = Router(context: BasicRequestContext.self)
        router.get("/file") { request, _ in
            hits.record("file")
            let size = Self.file.count
            guard let range = Self.requestedRange(request.headers[.range], size: size) else {
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: Self.file)))
            }
            guard range.lowerBound < size else { return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(size)"]) }
            return Response(
                status: .partialContent, headers: [.contentRange: "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)"],
                body: .init(byteBuffer: ByteBuffer(bytes: Self.file[range])))
        }
        router.get("/ignores-range") { _, _ in
            hits.record("ignores-range")
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: Self.file)))
        }
        router.get("/gone") { _, _ in Response(status: .notFound) }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next()!
            do {
                try await body("http://127.0.0.1:\(port)", hits)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func rangesFromAServerThatHonoursThem() async throws {
        try await self.withServer { base, hits in
            let fetcher = HTTPRangeFetcher(url: "\(base)/file")
            let cache = try await fetcher.prefetch(ranges: [100..<200, 250..<300, 200_000..<200_500], tail: 4096)
            #expect(cache.objectSize == 300_000)
            #expect(cache.requestCount == 3)
            #expect(hits.count("file") == 3)
            #expect(cache.bytesFetched == 200 + 500 + 4096)
            #expect(try cache.read(offset: 120, count: 170) == Array(Self.file[120..<290]))
            #expect(try cache.read(offset: 200_100, count: 100) == Array(Self.file[200_100..<200_200]))
            #expect(try cache.tail(count: 4096) == Array(Self.file.suffix(4096)))
            #expect(throws: ObjectStorageError.self) { try cache.read(offset: 1000, count: 1) }
            #expect(try await fetcher.get(range: 5..<9) == Self.file[5..<9])
        }
    }

    @Test func aServerIgnoringRangeIsAskedOnceAndServesEverything() async throws {
        try await self.withServer { base, hits in
            let fetcher = HTTPRangeFetcher(url: "\(base)/ignores-range")
            let cache = try await fetcher.prefetch(ranges: [0..<10, 100_000..<100_010, 250_000..<250_010], tail: 100)
            // The first answer was the whole file, so no other request went out.
            #expect(hits.count("ignores-range") == 1)
            #expect(cache.requestCount == 1)
            #expect(cache.bytesFetched == 300_000)
            #expect(cache.objectSize == 300_000)
            #expect(try cache.read(offset: 123_456, count: 10) == Array(Self.file[123_456..<123_466]))
            #expect(try await fetcher.get(range: 5..<9) == Self.file[5..<9])
        }
    }

    @Test func errorsNameTheURL() async throws {
        try await self.withServer { base, _ in
            let missing = await objectStorageError { try await HTTPRangeFetcher(url: "\(base)/gone").get(range: 0..<10) }
            #expect("\(missing.map { "\($0)" } ?? "")" == "Unexpected HTTP 404 from \(base)/gone.")
            let pastEnd = await objectStorageError { try await HTTPRangeFetcher(url: "\(base)/file").get(range: 400_000..<400_010) }
            guard case .rangeNotSatisfiable(_, "bytes=400000-400009", 300_000)? = pastEnd else {
                Issue.record("expected rangeNotSatisfiable, got \(String(describing: pastEnd))")
                return
            }
        }
        let down = await objectStorageError { try await HTTPRangeFetcher(url: "http://127.0.0.1:1/x", maxAttempts: 1).get(range: 0..<1) }
        guard case .transferFailed(_, let curlError)? = down else {
            Issue.record("expected transferFailed, got \(String(describing: down))")
            return
        }
        #expect(curlError.code == 7 && down!.isTransient)
    }
}
