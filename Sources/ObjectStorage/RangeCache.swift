import Foundation

/// Byte ranges of one object, fetched ahead of time, answered synchronously from memory.
///
/// A synchronous reader (the Parquet reader's `read(offset:count:) throws -> [UInt8]`) must never block on
/// the network: `S3Client.prefetch` or `HTTPRangeFetcher.prefetch` do the I/O asynchronously first, and this
/// value then serves reads without any. A read outside what was fetched throws `rangeNotFetched`.
package struct RangeCache: Sendable {
    struct Segment: Sendable {
        let offset: Int
        let bytes: Data
        var range: Range<Int> { self.offset..<(self.offset + self.bytes.count) }
    }

    /// The object the bytes belong to (`s3://bucket/key` or a URL).
    package let object: String
    /// The object's size, when an answer told it (a tail fetch always does).
    package let objectSize: Int?
    /// Bytes downloaded to build this cache, gaps between coalesced ranges included.
    package let bytesFetched: Int
    /// HTTP requests made to build this cache.
    package let requestCount: Int
    /// Sorted by offset; may overlap (a tail can cover part of a range).
    private let segments: [Segment]

    init(object: String, segments: [Segment], objectSize: Int?, requestCount: Int) {
        self.object = object
        self.segments = segments.filter { !$0.bytes.isEmpty }.sorted { $0.offset < $1.offset }
        self.objectSize = objectSize
        self.bytesFetched = segments.reduce(0) { $0 + $1.bytes.count }
        self.requestCount = requestCount
    }

    /// The byte ranges held, merged where they touch.
    package var fetchedRanges: [Range<Int>] {
        RangeCoalescing.coalesce(self.segments.map(\.range), gap: 0, maxBytes: .max)
    }

    /// Whether every byte of `range` is held.
    package func contains(_ range: Range<Int>) -> Bool {
        range.isEmpty || self.fetchedRanges.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }
    }

    /// `count` bytes from `offset`. Never touches the network.
    package func read(offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0 else { throw self.notFetched(offset: offset, count: count) }
        if count == 0 { return [] }
        var result = [UInt8]()
        result.reserveCapacity(count)
        var position = offset
        let end = offset + count
        while position < end {
            // The segment holding `position` that reaches furthest; a read may span touching segments.
            guard let segment = self.segments.lazy.filter({ $0.range.contains(position) }).max(by: { $0.range.upperBound < $1.range.upperBound })
            else { throw self.notFetched(offset: offset, count: count) }
            let upTo = min(end, segment.range.upperBound)
            let start = segment.bytes.startIndex + (position - segment.offset)
            result.append(contentsOf: segment.bytes[start..<(start + (upTo - position))])
            position = upTo
        }
        return result
    }

    /// The last `count` bytes of the object (the Parquet footer); needs the size, which a tail fetch provides.
    package func tail(count: Int) throws -> [UInt8] {
        guard let objectSize else { throw self.notFetched(offset: -count, count: count) }
        let length = min(count, objectSize)
        return try self.read(offset: objectSize - length, count: length)
    }

    /// This cache and `other` together (same object), e.g. the footer fetched first and the column chunks it named.
    package func merging(_ other: RangeCache) -> RangeCache {
        RangeCache(
            object: self.object, segments: self.segments + other.segments, objectSize: self.objectSize ?? other.objectSize,
            requestCount: self.requestCount + other.requestCount)
    }

    private func notFetched(offset: Int, count: Int) -> ObjectStorageError {
        .rangeNotFetched(object: self.object, offset: offset, count: count, fetched: self.fetchedRanges)
    }
}
