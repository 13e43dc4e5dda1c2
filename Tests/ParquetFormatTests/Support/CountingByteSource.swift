import ParquetFormat
import Synchronization

/// Wraps a byte source and records every range the reader asks for.
final class CountingByteSource: ParquetByteSource {
    private let inner: any ParquetByteSource
    private let log = Mutex<[Range<Int>]>([])

    init(_ inner: any ParquetByteSource) {
        self.inner = inner
    }

    var size: Int { inner.size }

    func read(offset: Int, count: Int) throws -> [UInt8] {
        log.withLock { $0.append(offset..<offset + count) }
        return try inner.read(offset: offset, count: count)
    }

    var ranges: [Range<Int>] { log.withLock { $0 } }
    var bytesRead: Int { ranges.reduce(0) { $0 + $1.count } }
}
