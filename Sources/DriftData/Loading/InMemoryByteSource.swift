import ParquetFormat

/// A whole file already in memory (a download from a server that does not answer range requests).
struct InMemoryByteSource: ParquetByteSource {
    let bytes: [UInt8]

    var size: Int { self.bytes.count }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        Array(self.bytes[offset..<offset + count])
    }
}
