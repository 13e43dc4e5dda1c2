/// Value and level encodings (the Parquet `Encoding` enum).
package enum ParquetEncoding: Int32, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case plain = 0
    /// Deprecated name for dictionary indices in data pages (DuckDB still writes it); read
    /// exactly like ``rleDictionary``.
    case plainDictionary = 2
    case rle = 3
    /// Deprecated MSB-first bit packing, only ever used for levels.
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9

    package var description: String {
        switch self {
        case .plain: "PLAIN"
        case .plainDictionary: "PLAIN_DICTIONARY"
        case .rle: "RLE"
        case .bitPacked: "BIT_PACKED"
        case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: "DELTA_BYTE_ARRAY"
        case .rleDictionary: "RLE_DICTIONARY"
        case .byteStreamSplit: "BYTE_STREAM_SPLIT"
        }
    }

    var isDictionaryIndices: Bool { self == .plainDictionary || self == .rleDictionary }
}
