/// Decoder for DELTA_LENGTH_BYTE_ARRAY: all lengths as one DELTA_BINARY_PACKED stream, then
/// all value bytes concatenated.
enum DeltaLengthByteArrayDecoder {
    /// Appends `count` values to `output`. `byteLimit` caps the total size of `output.bytes`.
    static func decode(from reader: inout ByteReader, count: Int, into output: inout ParquetByteArrays, byteLimit: Int) throws {
        let lengths = try DeltaBinaryPackedDecoder.decodeLengths(from: &reader, count: count, what: "DELTA_LENGTH_BYTE_ARRAY length")
        var total = 0
        for length in lengths {
            total += length  // each length <= Int32.max and count <= Int32.max: no overflow
            guard total <= reader.remaining else {
                throw ByteReader.endOfData("\(total) bytes of DELTA_LENGTH_BYTE_ARRAY data (\(reader.remaining) left)")
            }
        }
        guard output.bytes.count + total <= byteLimit else {
            throw ParquetError(.limitExceeded, "byte array values exceed the \(byteLimit)-byte limit per column chunk")
        }
        output.reserveAdditionalCapacity(values: count, bytes: total)
        for length in lengths {
            output.append(try reader.take(length))
        }
    }
}
