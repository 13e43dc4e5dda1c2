/// Decoder for DELTA_BYTE_ARRAY (incremental / front coding): prefix lengths as
/// DELTA_BINARY_PACKED, then the suffixes as DELTA_LENGTH_BYTE_ARRAY;
/// value[i] = value[i-1].prefix(prefixLength[i]) + suffix[i]. The "previous value" starts
/// empty on every page.
enum DeltaByteArrayDecoder {
    /// Appends `count` values to `output`. Front coding can expand a small page into a large
    /// output (long shared prefixes), so the running size is checked against `byteLimit`.
    static func decode(from reader: inout ByteReader, count: Int, into output: inout ParquetByteArrays, byteLimit: Int) throws {
        let prefixLengths = try DeltaBinaryPackedDecoder.decodeLengths(from: &reader, count: count, what: "DELTA_BYTE_ARRAY prefix length")
        var suffixes = ParquetByteArrays()
        try DeltaLengthByteArrayDecoder.decode(from: &reader, count: count, into: &suffixes, byteLimit: byteLimit)

        var total = output.bytes.count
        var previous: [UInt8] = []
        output.reserveAdditionalCapacity(values: count, bytes: suffixes.bytes.count)
        for index in 0..<count {
            let prefixLength = prefixLengths[index]
            guard prefixLength <= previous.count else {
                throw ParquetError(
                    .corruptPage, "DELTA_BYTE_ARRAY prefix length \(prefixLength) is longer than the previous value (\(previous.count) bytes)")
            }
            let suffix = suffixes[index]
            total += prefixLength + suffix.count
            guard total <= byteLimit else {
                throw ParquetError(.limitExceeded, "byte array values exceed the \(byteLimit)-byte limit per column chunk")
            }
            previous.removeLast(previous.count - prefixLength)
            previous.append(contentsOf: suffix)
            output.append(previous)
        }
    }
}
