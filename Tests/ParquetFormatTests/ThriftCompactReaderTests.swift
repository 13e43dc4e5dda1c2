import Testing

@testable import ParquetFormat

@Suite("Thrift compact protocol")
struct ThriftCompactReaderTests {
    static func reader(_ bytes: [UInt8], maxDepth: Int = 64) -> ThriftCompactReader {
        ThriftCompactReader(bytes: bytes, range: 0..<bytes.count, maxDepth: maxDepth)
    }

    @Test("varints and zigzag")
    func varints() throws {
        var reader = Self.reader([0x96, 0x01, 0x03, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(try reader.readVarint() == 150)
        #expect(try reader.readZigzagInt64() == -2)
        #expect(try reader.readZigzagInt64() == 2)
        #expect(try reader.readInt32() == Int32.min)  // zigzag 0xFFFFFFFF
        var tooLong = Self.reader([UInt8](repeating: 0xFF, count: 11))
        #expect(throws: ParquetError.self) { try tooLong.readVarint() }
    }

    @Test("the worked footer example: field deltas, a long-form list header")
    func workedExample() throws {
        // 15 04: field 1 i32 = 2; 19 fc 11: field 2 list, long form, struct elements, 17 of them.
        var reader = Self.reader([0x15, 0x04, 0x19, 0xFC, 0x11] + [UInt8](repeating: 0, count: 17))
        try reader.beginStruct()
        let first = try #require(try reader.readFieldHeader())
        #expect(first.id == 1 && first.type == .i32)
        #expect(try reader.readInt32() == 2)
        let second = try #require(try reader.readFieldHeader())
        #expect(second.id == 2 && second.type == .list)
        let (type, count) = try reader.readListHeader()
        #expect(type == .structure && count == 17)
    }

    @Test("explicit field ids, booleans in headers and in lists, skipping every type")
    func skipping() throws {
        var writer: [UInt8] = []
        writer += [0x08, 0x90, 0x03]  // type 8 (binary) with explicit zigzag id 200
        writer += [0x02, 0x68, 0x69]  // "hi"
        writer += [0x11]  // field 201 bool true
        writer += [0x19, 0x31, 0x01, 0x02, 0x01]  // field 202 list<bool> of 3: true, false, true
        writer += [0x1B, 0x02, 0x58, 0x02, 0x01, 0x61, 0x04, 0x00]  // field 203 map<i32,binary> {1: "a", 2: ""}
        writer += [0x17] + [UInt8](repeating: 0, count: 8)  // field 204 double
        writer += [0x1C, 0x15, 0x02, 0x00]  // field 205 struct { 1: i32 1 }
        writer += [0x00]
        var reader = Self.reader(writer)
        var seen: [Int16] = []
        var listBooleans: [Bool] = []
        try reader.readStruct { reader, field in
            seen.append(field.id)
            if field.id == 202 {
                try reader.readList("bools", expecting: .booleanTrue) { listBooleans.append(try $0.readListBoolean()) }
            } else {
                try reader.skip(field.type)
            }
        }
        #expect(seen == [200, 201, 202, 203, 204, 205])
        #expect(listBooleans == [true, false, true])
        #expect(reader.remaining == 0)
    }

    @Test("nesting deeper than the limit, and lists longer than the bytes left, throw")
    func bombs() {
        // 100 nested struct fields (0x1C = field delta 1, type struct).
        var deep = Self.reader([UInt8](repeating: 0x1C, count: 100) + [UInt8](repeating: 0, count: 101))
        #expect(throws: ParquetError.self) { try deep.skip(.structure) }
        // A list header claiming 2^32-1 structs in 4 bytes.
        var long = Self.reader([0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(throws: ParquetError.self) { try long.readListHeader() }
        // A binary longer than what is left.
        var binary = Self.reader([0x20, 0x41])
        #expect(throws: ParquetError.self) { try binary.readBinary() }
    }
}
