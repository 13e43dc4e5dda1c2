/// Values of BYTE_ARRAY columns.
struct ByteArrayValueStore: PhysicalValueStore {
    private(set) var values = ParquetByteArrays()
    private let byteLimit: Int

    init(context: ValueDecodingContext) {
        byteLimit = context.byteLimit
    }

    var count: Int { values.count }

    mutating func reserveCapacity(_ count: Int) {
        values.reserveAdditionalCapacity(values: count, bytes: 0)
    }

    mutating func appendDecoded(_ encoding: ParquetEncoding, count: Int, from data: UnsafeRawBufferPointer) throws {
        var reader = ByteReader(data)
        switch encoding {
        case .plain:
            // Each value is a u32 length and its bytes, so at least 4 bytes a value.
            guard count <= data.count / 4 else {
                throw ByteReader.endOfData("\(count) PLAIN byte arrays (\(data.count) bytes)")
            }
            guard values.bytes.count + data.count - 4 * count <= byteLimit else {
                throw Self.limitError(byteLimit)
            }
            values.reserveAdditionalCapacity(values: count, bytes: data.count - 4 * count)
            for _ in 0..<count {
                let length = Int(try reader.readUInt32LittleEndian())
                values.append(try reader.take(length))
            }
        case .deltaLengthByteArray:
            try DeltaLengthByteArrayDecoder.decode(from: &reader, count: count, into: &values, byteLimit: byteLimit)
        case .deltaByteArray:
            try DeltaByteArrayDecoder.decode(from: &reader, count: count, into: &values, byteLimit: byteLimit)
        default:
            throw Self.unsupported(encoding, for: .byteArray)
        }
    }

    mutating func appendGathered(from dictionary: ByteArrayValueStore, indices: [UInt32]) throws {
        try Self.checkIndices(indices, dictionaryCount: dictionary.count)
        // Repeating a long dictionary entry can expand a few bytes of indices into gigabytes,
        // so size the output before copying.
        let entries = dictionary.values
        var total = values.bytes.count
        for index in indices {
            total += entries.offsets[Int(index) + 1] - entries.offsets[Int(index)]
            guard total <= byteLimit else { throw Self.limitError(byteLimit) }
        }
        values.reserveAdditionalCapacity(values: indices.count, bytes: total - values.bytes.count)
        entries.bytes.withUnsafeBytes { bytes in
            for index in indices {
                let range = entries.offsets[Int(index)]..<entries.offsets[Int(index) + 1]
                values.append(UnsafeRawBufferPointer(rebasing: bytes[range]))
            }
        }
    }

    mutating func spreadTrailingValues(over isPresent: ArraySlice<Bool>, nonNullCount: Int) {
        values.spreadTrailingValues(over: isPresent, nonNullCount: nonNullCount)
    }

    private static func limitError(_ limit: Int) -> ParquetError {
        ParquetError(.limitExceeded, "byte array values exceed the \(limit)-byte limit per column chunk")
    }
}
