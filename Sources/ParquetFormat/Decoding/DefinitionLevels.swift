/// Definition levels of a flat OPTIONAL column: max level 1, so one bit per slot, where
/// 1 = a value is present and 0 = null.
enum DefinitionLevels {
    /// Decodes `count` levels into `levels` (replacing its contents, each 0 or 1) and returns
    /// how many are present.
    ///
    /// `encoding` is the page's level encoding: RLE (the hybrid) or the deprecated BIT_PACKED
    /// (MSB-first, no run headers).
    static func decode(
        _ data: UnsafeRawBufferPointer,
        encoding: ParquetEncoding,
        count: Int,
        into levels: inout [UInt8]
    ) throws -> Int {
        levels.removeAll(keepingCapacity: true)
        switch encoding {
        case .rle:
            // Bit width 1 guarantees every level is 0 or 1, so their sum is the present count.
            var decoder = try RLEBitPackedHybridDecoder(bitWidth: 1, data: data)
            try decoder.decode(count: count, into: &levels)
        case .bitPacked:
            guard count <= data.count * 8 else {
                throw ByteReader.endOfData("\(count) BIT_PACKED levels (\(data.count) bytes)")
            }
            levels.reserveCapacity(count)
            for slot in 0..<count {
                levels.append((data[slot >> 3] >> (7 - UInt8(slot & 7))) & 1)
            }
        default:
            throw ParquetError(.unsupported, "definition level encoding \(encoding) is not supported")
        }
        return levels.withUnsafeBufferPointer { buffer in
            var present = 0
            for level in buffer { present &+= Int(level) }
            return present
        }
    }
}
