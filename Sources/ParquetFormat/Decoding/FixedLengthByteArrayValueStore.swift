/// Values of FIXED_LEN_BYTE_ARRAY (and INT96, width 12) columns: `width` bytes per row,
/// back to back.
struct FixedLengthByteArrayValueStore: PhysicalValueStore {
    private(set) var bytes: [UInt8] = []
    let width: Int
    private let byteLimit: Int

    init(context: ValueDecodingContext) {
        width = context.typeLength
        byteLimit = context.byteLimit
        precondition(width > 0, "the schema checks FIXED_LEN_BYTE_ARRAY widths")
    }

    var count: Int { bytes.count / width }

    mutating func reserveCapacity(_ count: Int) {
        // Capacity is a hint; cap it so a large row count alone cannot reserve gigabytes.
        bytes.reserveCapacity(min(count, byteLimit / width) * width)
    }

    mutating func appendDecoded(_ encoding: ParquetEncoding, count: Int, from data: UnsafeRawBufferPointer) throws {
        guard count <= (byteLimit - bytes.count) / width else {
            throw ParquetError(.limitExceeded, "fixed-length values exceed the \(byteLimit)-byte limit per column chunk")
        }
        switch encoding {
        case .plain:
            guard count <= data.count / width else {
                throw ByteReader.endOfData("\(count) PLAIN values of \(width) bytes (\(data.count) bytes)")
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[0..<count * width]))
        case .byteStreamSplit:
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: count * width))
            do {
                try bytes.withUnsafeMutableBytes { buffer in
                    try ByteStreamSplitDecoder.decode(
                        data, width: width, count: count,
                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
                }
            } catch {
                bytes.removeLast(count * width)
                throw error
            }
        case .deltaByteArray:
            var reader = ByteReader(data)
            var decoded = ParquetByteArrays()
            try DeltaByteArrayDecoder.decode(from: &reader, count: count, into: &decoded, byteLimit: byteLimit)
            for index in 0..<count where decoded.offsets[index + 1] - decoded.offsets[index] != width {
                throw ParquetError(
                    .corruptPage,
                    "DELTA_BYTE_ARRAY value of \(decoded.offsets[index + 1] - decoded.offsets[index]) bytes in a FIXED_LEN_BYTE_ARRAY(\(width)) column"
                )
            }
            bytes.append(contentsOf: decoded.bytes)
        default:
            throw Self.unsupported(encoding, for: .fixedLenByteArray)
        }
    }

    mutating func appendGathered(from dictionary: FixedLengthByteArrayValueStore, indices: [UInt32]) throws {
        try Self.checkIndices(indices, dictionaryCount: dictionary.count)
        guard indices.count <= (byteLimit - bytes.count) / width else {
            throw ParquetError(.limitExceeded, "fixed-length values exceed the \(byteLimit)-byte limit per column chunk")
        }
        bytes.reserveAdditionalCapacity(indices.count * width)
        for index in indices {
            let start = Int(index) * width
            bytes.append(contentsOf: dictionary.bytes[start..<start + width])
        }
    }

    mutating func spreadTrailingValues(over isPresent: ArraySlice<Bool>, nonNullCount: Int) {
        let slotCount = isPresent.count
        guard slotCount > nonNullCount else { return }
        let firstSlot = count - nonNullCount
        bytes.append(contentsOf: repeatElement(0, count: (slotCount - nonNullCount) * width))
        let width = width
        bytes.withUnsafeMutableBytes { buffer in
            var source = firstSlot + nonNullCount - 1
            var destination = firstSlot + slotCount - 1
            for present in isPresent.reversed() {
                let target = buffer.baseAddress! + destination * width
                if present {
                    target.copyMemory(from: buffer.baseAddress! + source * width, byteCount: width)
                    source -= 1
                } else {
                    target.initializeMemory(as: UInt8.self, repeating: 0, count: width)
                }
                destination -= 1
            }
        }
    }
}
