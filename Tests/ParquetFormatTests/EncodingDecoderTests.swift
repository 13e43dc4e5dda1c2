import Testing

@testable import ParquetFormat

/// Each decoder against small inputs whose bytes were worked out by hand.
@Suite("Encoding decoders")
struct EncodingDecoderTests {
    // MARK: RLE / bit-packed hybrid

    static func hybrid(_ bytes: [UInt8], bitWidth: Int, count: Int) throws -> [UInt32] {
        try bytes.withUnsafeBytes { buffer in
            var decoder = try RLEBitPackedHybridDecoder(bitWidth: bitWidth, data: buffer)
            var output: [UInt32] = []
            try decoder.decode(count: count, into: &output)
            return output
        }
    }

    @Test("hybrid: the spec's bit-packed example 0..7 at width 3")
    func hybridBitPackedSpecExample() throws {
        // header 0x03 = one group of 8, bit-packed; 10001000 11000110 11111010
        #expect(try Self.hybrid([0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010], bitWidth: 3, count: 8) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test("hybrid: RLE run, then bit-packed run, padding dropped")
    func hybridMixedRuns() throws {
        // 0x0A = RLE run of 5, value 7 (one byte); then one bit-packed group of width 3.
        let bytes: [UInt8] = [0x0A, 0x07, 0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010]
        #expect(try Self.hybrid(bytes, bitWidth: 3, count: 13) == [7, 7, 7, 7, 7, 0, 1, 2, 3, 4, 5, 6, 7])
        // Fewer values than the runs hold: the rest (padding) is ignored.
        #expect(try Self.hybrid(bytes, bitWidth: 3, count: 7) == [7, 7, 7, 7, 7, 0, 1])
    }

    @Test("hybrid: RLE values wider than a byte are little-endian")
    func hybridWideRLEValue() throws {
        // Run of 3 copies of 0x1234 at width 13 (two value bytes, LE).
        #expect(try Self.hybrid([0x06, 0x34, 0x12], bitWidth: 13, count: 3) == [0x1234, 0x1234, 0x1234])
    }

    @Test("hybrid: width 0 yields zeros from a run without value bytes")
    func hybridWidthZero() throws {
        #expect(try Self.hybrid([0x08], bitWidth: 0, count: 4) == [0, 0, 0, 0])
    }

    @Test("hybrid: truncated data, too-wide values and bad widths throw")
    func hybridErrors() {
        #expect(throws: ParquetError.self) { try Self.hybrid([0x0A, 0x07], bitWidth: 3, count: 6) }  // runs end
        #expect(throws: ParquetError.self) { try Self.hybrid([0x03, 0x88], bitWidth: 3, count: 8) }  // group cut
        #expect(throws: ParquetError.self) { try Self.hybrid([0x04, 0x02], bitWidth: 1, count: 2) }  // 2 needs 2 bits
        #expect(throws: ParquetError.self) { try Self.hybrid([0x04, 0x00], bitWidth: 33, count: 2) }  // width > 32
        #expect(throws: ParquetError.self) { try Self.hybrid([], bitWidth: 1, count: 1) }
        // A run header claiming 2^62 values is clipped to what is wanted, not allocated.
        let huge = ReferenceEncoders.uleb128(UInt64(1) << 63) + [0x01]
        #expect((try? Self.hybrid(huge, bitWidth: 1, count: 3)) == [1, 1, 1])
    }

    @Test("bit unpacking round-trips every width from 1 to 64")
    func bitUnpackingAllWidths() {
        var random = SplitMix64(seed: 42)
        for width in 1...64 {
            let values = (0..<37).map { _ in random.next() & (width == 64 ? ~0 : (1 << UInt64(width)) - 1) }
            var writer = ReferenceEncoders.BitWriter()
            for value in values { writer.write(value, width: width) }
            var output = [UInt64](repeating: 0, count: values.count)
            writer.bytes.withUnsafeBytes { bytes in
                output.withUnsafeMutableBufferPointer { buffer in
                    BitUnpacking.unpack(bytes, bitWidth: width, count: values.count, into: buffer)
                }
            }
            #expect(output == values, "width \(width)")
        }
    }

    // MARK: DELTA_BINARY_PACKED

    static func deltaDecode(_ bytes: [UInt8], count: Int) throws -> (values: [Int64], consumed: Int) {
        try bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            var bits: [UInt64] = []
            try DeltaBinaryPackedDecoder.decode(from: &reader, count: count, into: &bits)
            return (bits.map { Int64(bitPattern: $0) }, reader.position)
        }
    }

    @Test("delta: 1,2,3,4,5 (constant delta, all widths 0)")
    func deltaConstant() throws {
        // block 128, 4 miniblocks, 5 values, first zigzag(1)=2; min delta zigzag(1)=2; widths 0.
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00]
        let decoded = try Self.deltaDecode(bytes, count: 5)
        #expect(decoded.values == [1, 2, 3, 4, 5])
        #expect(decoded.consumed == 10)
        #expect(ReferenceEncoders.deltaBinaryPacked([1, 2, 3, 4, 5]) == bytes)
    }

    @Test("delta: negative deltas 7,5,3,1,2,3,4,5 and the next section starts right after")
    func deltaNegative() throws {
        // deltas -2,-2,-2,1,1,1,1: min delta -2 (zigzag 3); relative 0,0,0,3,3,3,3 at width 2,
        // packed LSB first: 0xC0 0x3F, padded to 32 values x 2 bits = 8 bytes.
        let bytes: [UInt8] = [
            0x80, 0x01, 0x04, 0x08, 0x0E,
            0x03, 0x02, 0x00, 0x00, 0x00,
            0xC0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0xAB,
        ]
        let decoded = try Self.deltaDecode(bytes, count: 8)
        #expect(decoded.values == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(decoded.consumed == 18)
        #expect(ReferenceEncoders.deltaBinaryPacked([7, 5, 3, 1, 2, 3, 4, 5]) + [0xAB] == bytes)
    }

    @Test("delta: min-delta overflow edge Int64.min, Int64.max, Int64.min wraps")
    func deltaWrapping() throws {
        // Wrapping deltas: max - min = -1, min - max = +1. Min delta -1 (zigzag 1), relative 0, 2.
        let bytes: [UInt8] =
            [0x80, 0x01, 0x04, 0x03]
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]  // zigzag(Int64.min)
            + [0x01, 0x02, 0x00, 0x00, 0x00]
            + [0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        #expect(try Self.deltaDecode(bytes, count: 3).values == [.min, .max, .min])
    }

    @Test("delta: DuckDB's 33-bit INT32 miniblocks decode by wrapping to 32 bits")
    func deltaThirtyThreeBitInt32() throws {
        let values: [Int64] = [Int64(Int32.min), Int64(Int32.max), Int64(Int32.min), 5, -7]
        let bytes = ReferenceEncoders.deltaBinaryPacked(values)
        // The first width byte follows the 4 fixed header bytes, the first value and the min delta.
        let widthIndex =
            4 + ReferenceEncoders.uleb128(ReferenceEncoders.zigzag(values[0])).count
            + ReferenceEncoders.uleb128(ReferenceEncoders.zigzag(-4_294_967_295)).count
        #expect(bytes[widthIndex] == 33, "the first miniblock really is 33 bits wide")
        var store = NumericValueStore<Int32>(context: ValueDecodingContext(typeLength: 4, byteLimit: .max))
        try bytes.withUnsafeBytes { try store.appendDecoded(.deltaBinaryPacked, count: values.count, from: $0) }
        #expect(store.values == [.min, .max, .min, 5, -7])
    }

    @Test("delta: several blocks and miniblocks round-trip, with DuckDB's 2048/8 layout too")
    func deltaRoundTrip() throws {
        var random = SplitMix64(seed: 7)
        for (blockSize, miniblocks) in [(128, 4), (256, 8), (2048, 8)] {
            for count in [0, 1, 2, 33, 129, 1000, 5000] {
                let values = (0..<count).map { index in
                    index % 50 == 0 ? Int64(bitPattern: random.next()) : Int64(bitPattern: random.next() % 1000) - 500
                }
                let bytes = ReferenceEncoders.deltaBinaryPacked(values, blockSize: blockSize, miniblocks: miniblocks)
                let decoded = try Self.deltaDecode(bytes, count: count)
                #expect(decoded.values == values, "block \(blockSize), \(count) values")
                #expect(decoded.consumed == bytes.count)
            }
        }
    }

    @Test("delta: malformed headers and widths throw")
    func deltaErrors() {
        let good: [UInt8] = [
            0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00,
            0xC0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ]
        #expect(throws: ParquetError.self) { try Self.deltaDecode(good, count: 7) }  // count mismatch
        #expect(throws: ParquetError.self) { try Self.deltaDecode(Array(good.prefix(11)), count: 8) }  // cut
        var wide = good
        wide[6] = 65
        #expect(throws: ParquetError.self) { try Self.deltaDecode(wide, count: 8) }  // width 65
        var oddBlock = good
        oddBlock[0] = 0x64  // block size 100 (and no continuation)
        oddBlock.remove(at: 1)
        #expect(throws: ParquetError.self) { try Self.deltaDecode(oddBlock, count: 8) }
        #expect(throws: ParquetError.self) { try Self.deltaDecode([0x80, 0x01, 0x00, 0x01, 0x00], count: 1) }  // 0 miniblocks
    }

    // MARK: BYTE_STREAM_SPLIT

    @Test("byte stream split: two floats")
    func byteStreamSplitFloats() throws {
        // 1.0 = 00 00 80 3F, 2.0 = 00 00 00 40; stream j holds byte j of each value.
        let data: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x3F, 0x40]
        var store = NumericValueStore<Float>(context: ValueDecodingContext(typeLength: 4, byteLimit: .max))
        try data.withUnsafeBytes { try store.appendDecoded(.byteStreamSplit, count: 2, from: $0) }
        #expect(store.values == [1.0, 2.0])
    }

    @Test("byte stream split: FIXED_LEN_BYTE_ARRAY(3), and a ragged section throws")
    func byteStreamSplitFixed() throws {
        // Values AA BB CC and 11 22 33.
        let data: [UInt8] = [0xAA, 0x11, 0xBB, 0x22, 0xCC, 0x33]
        var store = FixedLengthByteArrayValueStore(context: ValueDecodingContext(typeLength: 3, byteLimit: .max))
        try data.withUnsafeBytes { try store.appendDecoded(.byteStreamSplit, count: 2, from: $0) }
        #expect(store.bytes == [0xAA, 0xBB, 0xCC, 0x11, 0x22, 0x33])
        #expect(throws: ParquetError.self) {
            try [UInt8](repeating: 0, count: 7).withUnsafeBytes { try store.appendDecoded(.byteStreamSplit, count: 2, from: $0) }
        }
    }

    // MARK: DELTA_LENGTH_BYTE_ARRAY / DELTA_BYTE_ARRAY

    static func byteArrays(_ encoding: ParquetEncoding, _ bytes: [UInt8], count: Int) throws -> [String] {
        var store = ByteArrayValueStore(context: ValueDecodingContext(typeLength: 1, byteLimit: 1 << 20))
        try bytes.withUnsafeBytes { try store.appendDecoded(encoding, count: count, from: $0) }
        return store.values.strings
    }

    @Test("delta byte array: the spec's axis/axle/babble/babyhood")
    func deltaByteArraySpecExample() throws {
        // prefix lengths 0,2,0,3 -> first 0, deltas 2,-2,3: min -2 (zigzag 3), relative 4,0,5
        // at width 3: 100 000 101 + 0-padding = 0x04 0x01 then 10 zero bytes.
        let prefixes: [UInt8] =
            [
                0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00,
                0x44, 0x01,
            ] + [UInt8](repeating: 0, count: 10)
        // suffix lengths 4,2,6,5 -> first zigzag(4)=8, deltas -2,4,-1: min -2 (zigzag 3), relative
        // 0,6,1 at width 3, LSB first: v1=6 sets bits 4,5 and v2=1 sets bit 6 -> 0x70 0x00.
        let suffixLengths: [UInt8] =
            [
                0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 0x03, 0x00, 0x00, 0x00,
                0x70, 0x00,
            ] + [UInt8](repeating: 0, count: 10)
        let suffixBytes = Array("axislebabbleyhood".utf8)
        let bytes = prefixes + suffixLengths + suffixBytes
        #expect(ReferenceEncoders.deltaByteArray(["axis", "axle", "babble", "babyhood"].map { Array($0.utf8) }) == bytes)
        #expect(try Self.byteArrays(.deltaByteArray, bytes, count: 4) == ["axis", "axle", "babble", "babyhood"])
    }

    @Test("delta length byte array and delta byte array round-trip, including empty values")
    func deltaByteArraysRoundTrip() throws {
        let values = ["", "a", "ab", "abc", "", "zzz", "zzzz", "é€😀", "é€", "x"].map { Array($0.utf8) }
        let strings = values.map { String(decoding: $0, as: UTF8.self) }
        #expect(try Self.byteArrays(.deltaLengthByteArray, ReferenceEncoders.deltaLengthByteArray(values), count: values.count) == strings)
        #expect(try Self.byteArrays(.deltaByteArray, ReferenceEncoders.deltaByteArray(values), count: values.count) == strings)
    }

    @Test("delta byte array: a prefix longer than the previous value, or missing bytes, throws")
    func deltaByteArrayErrors() {
        // Prefix lengths 0,9 but the first value is 1 byte long.
        let bad = ReferenceEncoders.deltaBinaryPacked([0, 9]) + ReferenceEncoders.deltaLengthByteArray([[0x61], [0x62]])
        #expect(throws: ParquetError.self) { try Self.byteArrays(.deltaByteArray, bad, count: 2) }
        let short = ReferenceEncoders.deltaLengthByteArray([[0x61, 0x62, 0x63]]).dropLast()
        #expect(throws: ParquetError.self) { try Self.byteArrays(.deltaLengthByteArray, Array(short), count: 1) }
    }

    // MARK: PLAIN and levels

    @Test("PLAIN booleans are LSB first; PLAIN byte arrays are length-prefixed")
    func plainValues() throws {
        var booleans = BooleanValueStore(context: ValueDecodingContext(typeLength: 1, byteLimit: .max))
        try [UInt8]([0b0000_0101, 0b1]).withUnsafeBytes { try booleans.appendDecoded(.plain, count: 9, from: $0) }
        #expect(booleans.values == [true, false, true, false, false, false, false, false, true])
        #expect(try Self.byteArrays(.plain, [2, 0, 0, 0, 0x68, 0x69, 0, 0, 0, 0], count: 2) == ["hi", ""])
        #expect(throws: ParquetError.self) { try Self.byteArrays(.plain, [9, 0, 0, 0, 0x68], count: 1) }
    }

    @Test("definition levels: RLE hybrid and legacy MSB-first BIT_PACKED")
    func definitionLevels() throws {
        var levels: [UInt8] = []
        // RLE: 3 ones (0x06 0x01), then bit-packed group 0b0000_0101.
        let rle: [UInt8] = [0x06, 0x01, 0x03, 0b0000_0101]
        let count = try rle.withUnsafeBytes {
            try DefinitionLevels.decode($0, encoding: .rle, count: 6, into: &levels)
        }
        #expect(count == 5 && levels == [1, 1, 1, 1, 0, 1])
        let msbFirst: [UInt8] = [0b1010_0000]
        let legacyCount = try msbFirst.withUnsafeBytes {
            try DefinitionLevels.decode($0, encoding: .bitPacked, count: 3, into: &levels)
        }
        #expect(legacyCount == 2 && levels == [1, 0, 1])
    }

    @Test("spreading values over null slots keeps row positions")
    func spreading() {
        var values: [Int32] = [9, 1, 2, 3]
        values.spreadTrailingElements(over: [false, true, false, true, true, false], nonNullCount: 3, placeholder: 0)
        #expect(values == [9, 0, 1, 0, 2, 3, 0])
        var arrays = ParquetByteArrays()
        arrays.append(Array("pre".utf8))
        arrays.append(Array("a".utf8))
        arrays.append(Array("bc".utf8))
        arrays.spreadTrailingValues(over: [false, true, false, true], nonNullCount: 2)
        #expect(arrays.strings == ["pre", "", "a", "", "bc"])
    }
}
