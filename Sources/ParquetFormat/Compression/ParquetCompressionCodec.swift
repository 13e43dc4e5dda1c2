/// Page compression codecs (the Parquet `CompressionCodec` enum).
package enum ParquetCompressionCodec: Int32, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    /// Deprecated LZ4 with Hadoop framing; not supported (no writer in use emits it).
    case lz4Hadoop = 5
    case zstd = 6
    /// Plain LZ4 block, what pyarrow and DuckDB write for "lz4".
    case lz4Raw = 7

    package var description: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4Hadoop: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    /// Whether this reader can decompress pages written with the codec.
    package var isSupported: Bool {
        switch self {
        case .lzo, .lz4Hadoop: false
        default: true
        }
    }
}
