import Foundation
import Testing

@testable import ObjectStorage

@Suite struct RangeCacheTests {
    @Test func coalescingJoinsNearRangesWithinTheLimit() {
        #expect(RangeCoalescing.coalesce([0..<10, 20..<30, 100..<110], gap: 10, maxBytes: .max) == [0..<30, 100..<110])
        #expect(RangeCoalescing.coalesce([20..<30, 0..<10, 5..<25], gap: 0, maxBytes: .max) == [0..<30])
        #expect(RangeCoalescing.coalesce([0..<10, 10..<20], gap: 0, maxBytes: .max) == [0..<20])
        #expect(RangeCoalescing.coalesce([0..<10, 15..<20, 5..<5], gap: 4, maxBytes: .max) == [0..<10, 15..<20])
        // Near but too big together: kept apart so they download in parallel. Overlaps always merge.
        #expect(RangeCoalescing.coalesce([0..<60, 70..<130], gap: 64, maxBytes: 100) == [0..<60, 70..<130])
        #expect(RangeCoalescing.coalesce([0..<60, 50..<130], gap: 0, maxBytes: 100) == [0..<130])
        #expect(RangeCoalescing.coalesce([], gap: 64, maxBytes: 100).isEmpty)
    }

    private func cache() -> RangeCache {
        let object = Data((0..<200).map { UInt8($0) })
        return RangeCache(
            object: "s3://b/k",
            segments: [
                .init(offset: 10, bytes: object[10..<50]), .init(offset: 50, bytes: object.subdata(in: 50..<60)),
                .init(offset: 150, bytes: object[150..<200]),
            ],
            objectSize: 200, requestCount: 3)
    }

    @Test func readsWithinAndAcrossTouchingSegments() throws {
        let cache = self.cache()
        #expect(try cache.read(offset: 10, count: 5) == [10, 11, 12, 13, 14])
        #expect(try cache.read(offset: 45, count: 10) == Array(45..<55).map { UInt8($0) })
        #expect(try cache.read(offset: 30, count: 0) == [])
        #expect(try cache.tail(count: 3) == [197, 198, 199])
        #expect(cache.fetchedRanges == [10..<60, 150..<200])
        #expect(cache.bytesFetched == 100)
        #expect(cache.contains(12..<58) && !cache.contains(55..<65))
    }

    @Test(arguments: [(0, 5), (55, 10), (100, 1), (195, 10), (-1, 2)])
    func readsOutsideThrowAndListWhatIsThere(offset: Int, count: Int) {
        #expect {
            try self.cache().read(offset: offset, count: count)
        } throws: { error in
            guard case ObjectStorageError.rangeNotFetched(_, offset, count, let fetched) = error else { return false }
            return fetched == [10..<60, 150..<200] && "\(error)".contains("have 10..<60, 150..<200")
        }
    }

    @Test func mergingAddsCounts() throws {
        let footer = RangeCache(object: "o", segments: [.init(offset: 90, bytes: Data(count: 10))], objectSize: 100, requestCount: 1)
        let chunks = RangeCache(object: "o", segments: [.init(offset: 0, bytes: Data(repeating: 1, count: 20))], objectSize: nil, requestCount: 2)
        let merged = footer.merging(chunks)
        #expect(merged.requestCount == 3 && merged.bytesFetched == 30 && merged.objectSize == 100)
        #expect(try merged.read(offset: 18, count: 2) == [1, 1])
    }
}
