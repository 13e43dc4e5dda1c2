/// A bounds-checked cursor over bytes that live for the duration of a `withUnsafeBytes` scope.
///
/// Every read checks the remaining length first and throws instead of reading past the end;
/// callers validate a whole run once (`take`) and then use the raw pointer for tight loops.
/// A `ByteReader` must not outlive the buffer it was made from.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    private(set) var position: Int

    init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        self.position = 0
    }

    var remaining: Int { buffer.count - position }
    var isAtEnd: Bool { position >= buffer.count }

    /// The unread bytes.
    var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[position...]) }

    mutating func readByte() throws -> UInt8 {
        guard position < buffer.count else { throw Self.endOfData("a byte") }
        defer { position += 1 }
        return buffer[position]
    }

    mutating func readUInt32LittleEndian() throws -> UInt32 {
        let bytes = try take(4)
        return UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    }

    /// ULEB128 of at most 64 bits.
    mutating func readULEB128() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63 && byte > 1 {
                throw ParquetError(.corruptPage, "varint does not fit in 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw ParquetError(.corruptPage, "varint longer than 10 bytes") }
        }
    }

    /// Zigzag-decoded ULEB128.
    mutating func readZigzagVarint() throws -> Int64 {
        let raw = try readULEB128()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// The next `count` bytes, after checking they exist.
    mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw Self.endOfData("\(count) bytes (\(remaining) left)")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: buffer[position..<position + count])
    }

    mutating func skip(_ count: Int) throws {
        _ = try take(count)
    }

    static func endOfData(_ what: String) -> ParquetError {
        ParquetError(.corruptPage, "encoded data ends early: needed \(what)")
    }
}
