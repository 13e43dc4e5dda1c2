/// Values of BOOLEAN columns.
struct BooleanValueStore: PhysicalValueStore {
    private(set) var values: [Bool] = []

    init(context: ValueDecodingContext) {}

    var count: Int { values.count }

    mutating func reserveCapacity(_ count: Int) {
        values.reserveCapacity(count)
    }

    mutating func appendDecoded(_ encoding: ParquetEncoding, count: Int, from data: UnsafeRawBufferPointer) throws {
        var bits: [UInt8] = []
        switch encoding {
        case .plain:
            // One bit per value, LSB first: the hybrid's bit-packing with width 1.
            guard count <= data.count * 8 else {
                throw ByteReader.endOfData("\(count) PLAIN booleans (\(data.count) bytes)")
            }
            bits = [UInt8](repeating: 0, count: count)
            bits.withUnsafeMutableBufferPointer { buffer in
                BitUnpacking.unpack(data, bitWidth: 1, count: count, into: buffer)
            }
        case .rle:
            // RLE booleans carry a 4-byte length prefix in V1 and V2 pages alike.
            var reader = ByteReader(data)
            let length = Int(try reader.readUInt32LittleEndian())
            var decoder = try RLEBitPackedHybridDecoder(bitWidth: 1, data: try reader.take(length))
            try decoder.decode(count: count, into: &bits)
        default:
            throw Self.unsupported(encoding, for: .boolean)
        }
        values.append(contentsOf: bits.lazy.map { $0 != 0 })
    }

    mutating func appendGathered(from dictionary: BooleanValueStore, indices: [UInt32]) throws {
        try Self.checkIndices(indices, dictionaryCount: dictionary.count)
        values.append(contentsOf: indices.lazy.map { dictionary.values[Int($0)] })
    }

    mutating func spreadTrailingValues(over isPresent: ArraySlice<Bool>, nonNullCount: Int) {
        values.spreadTrailingElements(over: isPresent, nonNullCount: nonNullCount, placeholder: false)
    }
}
