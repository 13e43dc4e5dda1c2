/// Small, obviously-written encoders used to build test inputs. They are checked against
/// hand-computed bytes in the decoder tests before being used for larger round trips.
enum ReferenceEncoders {
    static func uleb128(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }

    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// LSB-first bit packing, one bit at a time.
    struct BitWriter {
        var bytes: [UInt8] = []
        var bitCount = 0

        mutating func write(_ value: UInt64, width: Int) {
            for bit in 0..<width {
                if bitCount % 8 == 0 { bytes.append(0) }
                if (value >> UInt64(bit)) & 1 == 1 {
                    bytes[bytes.count - 1] |= UInt8(1) << UInt8(bitCount % 8)
                }
                bitCount += 1
            }
        }
    }

    static func bitWidth(_ value: UInt64) -> Int {
        64 - value.leadingZeroBitCount
    }

    /// DELTA_BINARY_PACKED with 64-bit wrapping deltas.
    static func deltaBinaryPacked(_ values: [Int64], blockSize: Int = 128, miniblocks: Int = 4) -> [UInt8] {
        var out = uleb128(UInt64(blockSize)) + uleb128(UInt64(miniblocks)) + uleb128(UInt64(values.count))
        guard let first = values.first else { return out + uleb128(0) }
        out += uleb128(zigzag(first))
        let deltas = zip(values.dropFirst(), values).map { $0 &- $1 }
        let perMiniblock = blockSize / miniblocks
        var start = 0
        while start < deltas.count {
            let block = Array(deltas[start..<min(start + blockSize, deltas.count)])
            let minDelta = block.min()!
            out += uleb128(zigzag(minDelta))
            let relative = block.map { UInt64(bitPattern: $0 &- minDelta) }
            var widths: [Int] = []
            for m in 0..<miniblocks {
                let slice = relative.dropFirst(m * perMiniblock).prefix(perMiniblock)
                widths.append(slice.isEmpty ? 0 : bitWidth(slice.max()!))
            }
            out += widths.map { UInt8($0) }
            for m in 0..<miniblocks {
                let slice = Array(relative.dropFirst(m * perMiniblock).prefix(perMiniblock))
                if slice.isEmpty { break }
                var writer = BitWriter()
                for index in 0..<perMiniblock {
                    writer.write(index < slice.count ? slice[index] : 0, width: widths[m])
                }
                out += writer.bytes
            }
            start += blockSize
        }
        return out
    }

    /// DELTA_LENGTH_BYTE_ARRAY.
    static func deltaLengthByteArray(_ values: [[UInt8]]) -> [UInt8] {
        deltaBinaryPacked(values.map { Int64($0.count) }) + values.flatMap { $0 }
    }

    /// DELTA_BYTE_ARRAY (front coding against the previous value).
    static func deltaByteArray(_ values: [[UInt8]]) -> [UInt8] {
        var previous: [UInt8] = []
        var prefixes: [Int64] = []
        var suffixes: [[UInt8]] = []
        for value in values {
            var common = 0
            while common < min(previous.count, value.count) && previous[common] == value[common] { common += 1 }
            prefixes.append(Int64(common))
            suffixes.append(Array(value[common...]))
            previous = value
        }
        return deltaBinaryPacked(prefixes) + deltaLengthByteArray(suffixes)
    }
}

/// A Thrift compact-protocol writer for building page headers in tests.
struct ThriftCompactWriter {
    var bytes: [UInt8] = []
    private var lastFieldIDs: [Int16] = [0]

    mutating func field(_ id: Int16, type: UInt8) {
        let delta = id - lastFieldIDs[lastFieldIDs.count - 1]
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            bytes += ReferenceEncoders.uleb128(ReferenceEncoders.zigzag(Int64(id)))
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ value: Int32) {
        field(id, type: 5)
        bytes += ReferenceEncoders.uleb128(ReferenceEncoders.zigzag(Int64(value)))
    }

    mutating func bool(_ id: Int16, _ value: Bool) {
        field(id, type: value ? 1 : 2)
    }

    mutating func beginStruct(_ id: Int16) {
        field(id, type: 12)
        lastFieldIDs.append(0)
    }

    mutating func endStruct() {
        bytes.append(0)
        lastFieldIDs.removeLast()
    }

    /// A whole PageHeader.
    static func pageHeader(
        type: Int32, uncompressedSize: Int, compressedSize: Int,
        dictionary: (numValues: Int32, encoding: Int32)? = nil,
        dataV1: (numValues: Int32, encoding: Int32)? = nil,
        dataV2: (numValues: Int32, numNulls: Int32, encoding: Int32, definitionLength: Int32, isCompressed: Bool)? = nil
    ) -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.i32(1, type)
        writer.i32(2, Int32(uncompressedSize))
        writer.i32(3, Int32(compressedSize))
        if let dataV1 {
            writer.beginStruct(5)
            writer.i32(1, dataV1.numValues)
            writer.i32(2, dataV1.encoding)
            writer.i32(3, 3)
            writer.i32(4, 3)
            writer.endStruct()
        }
        if let dictionary {
            writer.beginStruct(7)
            writer.i32(1, dictionary.numValues)
            writer.i32(2, dictionary.encoding)
            writer.endStruct()
        }
        if let dataV2 {
            writer.beginStruct(8)
            writer.i32(1, dataV2.numValues)
            writer.i32(2, dataV2.numNulls)
            writer.i32(3, dataV2.numValues)
            writer.i32(4, dataV2.encoding)
            writer.i32(5, dataV2.definitionLength)
            writer.i32(6, 0)
            writer.bool(7, dataV2.isCompressed)
            writer.endStruct()
        }
        writer.bytes.append(0)
        return writer.bytes
    }
}
