import Testing

@testable import ParquetFormat

/// Column chunks assembled byte by byte, to reach checks that real writers never trip:
/// dictionary indices out of range, level/value count mismatches, pages whose sizes lie.
@Suite("Synthetic column chunks")
struct SyntheticPageTests {
    static func int32Column(nullable: Bool) -> ParquetColumnDescriptor {
        ParquetColumnDescriptor(
            index: 0, name: "x", physicalType: .int32, logicalType: .none,
            repetition: nullable ? .optional : .required, typeLength: nil)
    }

    static func decode(_ chunk: [UInt8], nullable: Bool = false, values: Int, codec: ParquetCompressionCodec = .uncompressed) throws -> ParquetColumn
    {
        let decoder = ColumnChunkDecoder(
            descriptor: int32Column(nullable: nullable), codec: codec,
            valueCount: values, fileOffset: 1000, limits: ParquetReadLimits())
        return try ColumnValueConversion.decodeColumn(chunk, with: decoder)
    }

    static func plainInt32(_ values: [Int32]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: value) >> UInt32($0 * 8)) } }
    }

    /// A dictionary page of [10, 20] followed by an RLE_DICTIONARY page of four copies of `index`.
    static func dictionaryChunk(index: UInt8) -> [UInt8] {
        let dictionary = plainInt32([10, 20])
        let indices: [UInt8] = [0x02, 0x08, index]  // bit width 2; RLE run of 4
        return ThriftCompactWriter.pageHeader(
            type: 2, uncompressedSize: dictionary.count, compressedSize: dictionary.count,
            dictionary: (2, 0)) + dictionary
            + ThriftCompactWriter.pageHeader(
                type: 0, uncompressedSize: indices.count, compressedSize: indices.count,
                dataV1: (4, 8)) + indices
    }

    @Test("dictionary indices in range decode; one out of range is an error, not a read")
    func dictionaryIndexRange() throws {
        #expect(try Self.decode(Self.dictionaryChunk(index: 1), values: 4).values == .int32([20, 20, 20, 20]))
        // Index 2 is the first one past a 2-entry dictionary (the boundary case).
        #expect(throws: ParquetError.self) { try Self.decode(Self.dictionaryChunk(index: 2), values: 4) }
        let error = #expect(throws: ParquetError.self) { try Self.decode(Self.dictionaryChunk(index: 3), values: 4) }
        #expect(error?.kind == .corruptPage)
        #expect(error?.detail.contains("dictionary index 3 is out of range for a dictionary of 2 values") == true, "\(String(describing: error))")
        #expect(error?.detail.contains("page at offset") == true)
    }

    @Test("a dictionary-encoded page without a dictionary page is refused")
    func missingDictionary() {
        let indices: [UInt8] = [0x01, 0x08, 0x00]
        let chunk = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 3, compressedSize: 3, dataV1: (4, 8)) + indices
        #expect(throws: ParquetError.self) { try Self.decode(chunk, values: 4) }
    }

    @Test("V2: num_nulls must match the definition levels")
    func v2NullCountMismatch() throws {
        let levels: [UInt8] = [0x08, 0x01]  // four levels of 1: no nulls
        let values = Self.plainInt32([1, 2, 3, 4])
        func chunk(numNulls: Int32) -> [UInt8] {
            ThriftCompactWriter.pageHeader(
                type: 3, uncompressedSize: levels.count + values.count,
                compressedSize: levels.count + values.count,
                dataV2: (4, numNulls, 0, Int32(levels.count), false)) + levels + values
        }
        #expect(try Self.decode(chunk(numNulls: 0), nullable: true, values: 4).values == .int32([1, 2, 3, 4]))
        let error = #expect(throws: ParquetError.self) { try Self.decode(chunk(numNulls: 1), nullable: true, values: 4) }
        #expect(error?.detail.contains("says 1 nulls but the definition levels hold 0") == true, "\(String(describing: error))")
    }

    @Test("V1: levels promising more values than the page holds is an error")
    func v1LevelValueMismatch() throws {
        let levels: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x08, 0x01]  // length 2, four levels of 1
        let twoValues = Self.plainInt32([1, 2])
        let body = levels + twoValues
        let chunk = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: body.count, compressedSize: body.count, dataV1: (4, 0)) + body
        let error = #expect(throws: ParquetError.self) { try Self.decode(chunk, nullable: true, values: 4) }
        #expect(error?.kind == .corruptPage)
    }

    @Test("nulls are spread to their rows and recorded in the validity")
    func nullsSpread() throws {
        let levels: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x03, 0b0000_1101]  // bit-packed 1,0,1,1 (+ padding)
        let body = levels + Self.plainInt32([7, 8, 9])
        let chunk = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: body.count, compressedSize: body.count, dataV1: (4, 0)) + body
        let column = try Self.decode(chunk, nullable: true, values: 4)
        #expect(column.values == .int32([7, 0, 8, 9]))
        #expect(column.validity?.isValid == [true, false, true, true])
        #expect(column.nullCount == 1)
    }

    @Test("a page claiming more values than the chunk has left is refused")
    func pageValueCountOverrun() {
        let body = Self.plainInt32([1, 2, 3, 4])
        let chunk = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 16, compressedSize: 16, dataV1: (10, 0)) + body
        let error = #expect(throws: ParquetError.self) { try Self.decode(chunk, values: 4) }
        #expect(error?.detail.contains("holds 10 values but only 4") == true, "\(String(describing: error))")
    }

    @Test("a chunk that ends before its declared value count is refused")
    func chunkEndsEarly() {
        let body = Self.plainInt32([1, 2])
        let chunk = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 8, compressedSize: 8, dataV1: (2, 0)) + body
        let error = #expect(throws: ParquetError.self) { try Self.decode(chunk, values: 4) }
        #expect(error?.detail.contains("ends after 2 of its 4 values") == true, "\(String(describing: error))")
    }

    @Test("page sizes that lie: uncompressed size vs body, and decompressor output vs header")
    func lyingSizes() {
        let body = Self.plainInt32([1, 2])
        let uncompressed = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 12, compressedSize: 8, dataV1: (2, 0)) + body
        #expect(throws: ParquetError.self) { try Self.decode(uncompressed, values: 2) }

        // Snappy by hand: length preamble 8, one literal of 8 bytes (tag (8-1) << 2).
        let snappy: [UInt8] = [0x08, 0x1C] + body
        let good = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 8, compressedSize: snappy.count, dataV1: (2, 0)) + snappy
        #expect((try? Self.decode(good, values: 2, codec: .snappy))?.values == .int32([1, 2]))
        let lying = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 12, compressedSize: snappy.count, dataV1: (2, 0)) + snappy
        let snappyError = #expect(throws: ParquetError.self) { try Self.decode(lying, values: 2, codec: .snappy) }
        #expect(snappyError?.detail.contains("SNAPPY page declares 8 uncompressed bytes but its header says 12") == true)

        // LZ4 raw block by hand: token 0x80 = 8 literals, no match.
        let lz4: [UInt8] = [0x80] + body
        let lz4Good = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 8, compressedSize: lz4.count, dataV1: (2, 0)) + lz4
        #expect((try? Self.decode(lz4Good, values: 2, codec: .lz4Raw))?.values == .int32([1, 2]))
        let lz4Lying = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 12, compressedSize: lz4.count, dataV1: (2, 0)) + lz4
        let lz4Error = #expect(throws: ParquetError.self) { try Self.decode(lz4Lying, values: 2, codec: .lz4Raw) }
        #expect(lz4Error?.detail.contains("decompressed to 8 bytes but its header says 12") == true, "\(String(describing: lz4Error))")

        // Garbage under ZSTD, GZIP and BROTLI is an error from each library, never a crash.
        for codec in [ParquetCompressionCodec.zstd, .gzip, .brotli] {
            let junk = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 8, compressedSize: 8, dataV1: (2, 0)) + body
            #expect(throws: ParquetError.self) { try Self.decode(junk, values: 2, codec: codec) }
        }
    }

    @Test("unknown encodings and a second dictionary page are refused")
    func unknownEncoding() {
        let body = Self.plainInt32([1])
        let alp = ThriftCompactWriter.pageHeader(type: 0, uncompressedSize: 4, compressedSize: 4, dataV1: (1, 10)) + body
        let error = #expect(throws: ParquetError.self) { try Self.decode(alp, values: 1) }
        #expect(error?.kind == .unsupported)
        #expect(error?.detail.contains("ALP") == true)

        let dictionary = ThriftCompactWriter.pageHeader(type: 2, uncompressedSize: 4, compressedSize: 4, dictionary: (1, 0)) + body
        #expect(throws: ParquetError.self) { try Self.decode(dictionary + dictionary + alp, values: 1) }
    }
}
