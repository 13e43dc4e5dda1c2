import ObjectStorage
import ParquetFormat

/// Opens a Parquet object over the network with range requests only: the last 64 KiB first (the footer, usually
/// whole), the rest of the footer if it is longer, then only the column chunks of the columns asked for. Reading 2
/// of 20 columns fetches about a tenth of the object.
struct RemoteParquetOpener: Sendable {
    /// Fetches byte ranges (and a tail) of the object into memory: S3 or any http(s) server.
    let prefetch: @Sendable (_ ranges: [Range<Int>], _ tail: Int?) async throws -> RangeCache
    /// What errors call the object.
    let name: String

    static let tailBytes = 64 << 10

    /// The file, opened on its fetched bytes, and how many bytes were downloaded.
    func open(columns: [String]?) async throws -> (file: ParquetFile, bytesFetched: Int) {
        let tail = try await self.prefetch([], Self.tailBytes)
        guard let size = tail.objectSize else {
            throw ParquetError(.io, "the server did not say how large the object is (no Content-Range)", fileName: self.name)
        }
        guard size >= 12 else { throw ParquetError(.truncated, "the object is \(size) bytes, smaller than any Parquet file", fileName: self.name) }
        // The footer's length is in the 4 bytes before the closing magic.
        let lengthBytes = try tail.read(offset: size - 8, count: 4)
        let footerLength = Int(UInt32(lengthBytes[0]) | UInt32(lengthBytes[1]) << 8 | UInt32(lengthBytes[2]) << 16 | UInt32(lengthBytes[3]) << 24)
        let tailStart = max(0, size - Self.tailBytes)
        var missing: [Range<Int>] = []
        if tailStart > 0 { missing.append(0..<4) }
        let footerStart = size - 8 - footerLength
        if footerStart >= 0, footerStart < tailStart { missing.append(footerStart..<tailStart) }
        var cache = missing.isEmpty ? tail : tail.merging(try await self.prefetch(missing, nil))
        let footerOnly = try ParquetFile.open(reading: RangeCacheByteSource(cache: cache, size: size), name: self.name)
        let indices = try footerOnly.columnIndices(columns)
        let chunks = footerOnly.rowGroups.flatMap { group in
            group.columns.filter { indices.contains($0.columnIndex) }.map(\.byteRange)
        }.filter { !cache.contains($0) && !$0.isEmpty }
        if !chunks.isEmpty { cache = cache.merging(try await self.prefetch(chunks, nil)) }
        let file = try ParquetFile.open(reading: RangeCacheByteSource(cache: cache, size: size), name: self.name)
        return (file, cache.bytesFetched)
    }
}

/// A Parquet byte source over bytes fetched ahead: reads never touch the network (they run on Swift's pool).
struct RangeCacheByteSource: ParquetByteSource {
    let cache: RangeCache
    let size: Int

    func read(offset: Int, count: Int) throws -> [UInt8] {
        try self.cache.read(offset: offset, count: count)
    }
}
