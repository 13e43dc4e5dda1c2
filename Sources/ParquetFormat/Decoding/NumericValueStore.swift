/// Values of INT32, INT64, FLOAT or DOUBLE columns.
struct NumericValueStore<Value: ParquetNumericValue>: PhysicalValueStore {
    private(set) var values: [Value] = []

    init(context: ValueDecodingContext) {}

    var count: Int { values.count }

    mutating func reserveCapacity(_ count: Int) {
        values.reserveCapacity(count)
    }

    mutating func appendDecoded(_ encoding: ParquetEncoding, count: Int, from data: UnsafeRawBufferPointer) throws {
        let width = MemoryLayout<Value>.size
        switch encoding {
        case .plain:
            guard count <= data.count / width else {
                throw ByteReader.endOfData("\(count) PLAIN \(Value.physicalType) values (\(data.count) bytes)")
            }
            // A straight copy: PLAIN is the in-memory layout on little-endian hosts.
            appendUninitialized(count) { destination in
                destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: data[0..<count * width]))
            }
            #if _endian(big)
            for index in (values.count - count)..<values.count {
                values[index] = Value(littleEndianStorage: values[index])
            }
            #endif

        case .byteStreamSplit:
            try appendUninitialized(count) { destination in
                try ByteStreamSplitDecoder.decode(data, width: width, count: count, into: destination)
            }
            #if _endian(big)
            for index in (values.count - count)..<values.count {
                values[index] = Value(littleEndianStorage: values[index])
            }
            #endif

        case .deltaBinaryPacked where Value.allowsDeltaEncoding:
            var reader = ByteReader(data)
            var bits: [UInt64] = []
            try DeltaBinaryPackedDecoder.decode(from: &reader, count: count, into: &bits)
            values.append(contentsOf: bits.lazy.map { Value(deltaBits: $0) })

        default:
            throw Self.unsupported(encoding, for: Value.physicalType)
        }
    }

    mutating func appendGathered(from dictionary: NumericValueStore<Value>, indices: [UInt32]) throws {
        try Self.checkIndices(indices, dictionaryCount: dictionary.count)
        let start = values.count
        values.append(contentsOf: repeatElement(Value.zero, count: indices.count))
        values.withUnsafeMutableBufferPointer { output in
            dictionary.values.withUnsafeBufferPointer { entries in
                indices.withUnsafeBufferPointer { indices in
                    for position in 0..<indices.count {
                        output[start + position] = entries[Int(indices[position])]
                    }
                }
            }
        }
    }

    mutating func spreadTrailingValues(over isPresent: ArraySlice<Bool>, nonNullCount: Int) {
        values.spreadTrailingElements(over: isPresent, nonNullCount: nonNullCount, placeholder: .zero)
    }

    /// Grows `values` by `count` elements and lets `fill` write their bytes. The new elements
    /// are zeroed first, so a fill that throws leaves no uninitialized memory behind.
    private mutating func appendUninitialized(_ count: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let start = values.count
        values.append(contentsOf: repeatElement(Value.zero, count: count))
        do {
            try values.withUnsafeMutableBytes { bytes in
                let width = MemoryLayout<Value>.stride
                try fill(UnsafeMutableRawBufferPointer(rebasing: bytes[start * width..<(start + count) * width]))
            }
        } catch {
            values.removeLast(count)
            throw error
        }
    }
}
