/// Fetches ranges of one object concurrently and gathers them into a `RangeCache`.
struct RangePrefetcher<Source: RangeSource>: Sendable {
    let source: Source
    let options: PrefetchOptions

    func prefetch(ranges: [Range<Int>], tail: Int?) async throws -> RangeCache {
        var requests = RangeCoalescing.coalesce(ranges, gap: self.options.coalescingGap, maxBytes: self.options.maxCoalescedBytes)
            .map(ByteRangeRequest.bounded)
        // The tail goes first: it tells the object's size, and a server that ignores Range shows it at once.
        if let tail, tail > 0 { requests.insert(.suffix(tail), at: 0) }
        guard !requests.isEmpty else { return RangeCache(object: self.source.objectDescription, segments: [], objectSize: nil, requestCount: 0) }

        var fetched: [FetchedRange] = []
        var remaining = requests[...]
        if self.source.mayIgnoreRange {
            let first = try await self.source.fetch(remaining.removeFirst())
            fetched.append(first)
            if first.isWholeObject { remaining = [] }
        }
        let source = self.source
        fetched += try await mapConcurrently(Array(remaining), limit: self.options.maxConcurrentRequests) { try await source.fetch($0) }

        let objectSize = fetched.lazy.compactMap(\.objectSize).first
        let cache = RangeCache(
            object: self.source.objectDescription, segments: fetched.map { RangeCache.Segment(offset: $0.offset, bytes: $0.bytes) },
            objectSize: objectSize, requestCount: fetched.count)
        try self.checkCoverage(of: ranges, tail: tail, in: cache)
        return cache
    }

    /// Every wanted byte inside the object must have arrived: a server that answers a different range than
    /// asked (allowed by HTTP) would otherwise surface later as a confusing read error.
    private func checkCoverage(of ranges: [Range<Int>], tail: Int?, in cache: RangeCache) throws {
        for range in ranges where !range.isEmpty {
            let clipped = cache.objectSize.map { range.clamped(to: 0..<$0) } ?? range
            guard !clipped.isEmpty else { continue }
            if !cache.contains(clipped) {
                throw ObjectStorageError.invalidResponse(
                    url: self.source.objectDescription, problem: "the server did not return bytes \(clipped.lowerBound)..<\(clipped.upperBound)")
            }
        }
    }
}
