/// Decoder for the RLE / bit-packing hybrid used by definition levels, dictionary indices and
/// RLE booleans (Encodings.md).
///
/// The data is a sequence of runs, each starting with a ULEB128 header: an odd header is a
/// bit-packed run of `(header >> 1) * 8` values; an even header is `header >> 1` repeats of one
/// value stored in `ceil(bitWidth / 8)` little-endian bytes. Run lengths come from the file, so
/// every run is clipped to the number of values still wanted and checked against the bytes left.
struct RLEBitPackedHybridDecoder {
    let bitWidth: Int
    private var reader: ByteReader

    init(bitWidth: Int, data: UnsafeRawBufferPointer) throws {
        guard bitWidth >= 0 && bitWidth <= 32 else {
            throw ParquetError(.corruptPage, "RLE/bit-packed bit width \(bitWidth) is above 32")
        }
        self.bitWidth = bitWidth
        self.reader = ByteReader(data)
    }

    /// Bytes consumed so far.
    var position: Int { reader.position }

    /// Appends exactly `count` values to `output`, or throws if the runs end first.
    mutating func decode<Output: FixedWidthInteger & UnsignedInteger>(count: Int, into output: inout [Output]) throws {
        precondition(count >= 0)
        output.reserveAdditionalCapacity(count)
        var produced = 0
        let valueByteCount = (bitWidth + 7) / 8
        let maxValue: UInt64 = (1 << UInt64(bitWidth)) &- 1
        while produced < count {
            let needed = count - produced
            let header = try reader.readULEB128()
            if header & 1 == 1 {
                // Bit-packed: groups of 8 values, each group `bitWidth` bytes long.
                let groups = header >> 1
                let declaredValues = groups >= UInt64(needed + 7) / 8 ? needed : Int(groups) * 8
                let declaredBytes = bitWidth == 0 ? 0 : (groups > UInt64(reader.remaining) ? Int.max : Int(groups) * bitWidth)
                // Writers may end the last run early; use what is there.
                let availableBytes = min(declaredBytes, reader.remaining)
                let availableValues = bitWidth == 0 ? declaredValues : min(declaredValues, availableBytes * 8 / bitWidth)
                guard availableValues > 0 || declaredValues == 0 else {
                    throw ParquetError(.corruptPage, "bit-packed run is cut off: \(needed) values still needed")
                }
                let take = min(needed, availableValues)
                let packed = try reader.take(availableBytes)
                let start = output.count
                output.append(contentsOf: repeatElement(0, count: take))
                output.withUnsafeMutableBufferPointer { buffer in
                    BitUnpacking.unpack(
                        packed, bitWidth: bitWidth, count: take,
                        into: UnsafeMutableBufferPointer(rebasing: buffer[start..<start + take]))
                }
                produced += take
            } else {
                let runLength = header >> 1
                let valueBytes = try reader.take(valueByteCount)
                var value: UInt64 = 0
                for (offset, byte) in valueBytes.enumerated() {
                    value |= UInt64(byte) << UInt64(offset * 8)
                }
                guard value <= maxValue else {
                    throw ParquetError(.corruptPage, "RLE run value \(value) does not fit in \(bitWidth) bits")
                }
                let take = runLength >= UInt64(needed) ? needed : Int(runLength)
                output.append(contentsOf: repeatElement(Output(truncatingIfNeeded: value), count: take))
                produced += take
            }
        }
    }
}
