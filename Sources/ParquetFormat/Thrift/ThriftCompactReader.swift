/// Wire types of the Thrift compact protocol (the low nibble of a field header).
enum ThriftCompactType: UInt8 {
    case stop = 0
    case booleanTrue = 1
    case booleanFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case structure = 12
}

/// One field header inside a struct.
struct ThriftFieldHeader {
    var id: Int16
    var type: ThriftCompactType
    /// For booleans the value travels in the header (type 1 = true, 2 = false).
    var booleanValue: Bool { type == .booleanTrue }
}

/// A Thrift compact-protocol decoder over a byte range, with every length checked against the
/// bytes that remain and nesting bounded, because every number it reads comes from the file.
///
/// Only what Parquet metadata uses is decoded into values; everything else is skipped by type,
/// so newer fields written by newer writers are ignored rather than rejected.
struct ThriftCompactReader {
    private let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int
    private let maxDepth: Int
    /// Struct/list nesting depth, incremented on entering a struct or container.
    private var depth = 0
    /// The previous field id of each open struct (field ids are delta-encoded per struct).
    private var lastFieldIDs: [Int16] = []

    init(bytes: [UInt8], range: Range<Int>, maxDepth: Int) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
        self.maxDepth = maxDepth
    }

    var remaining: Int { end - position }

    // MARK: Primitive values

    mutating func readByte() throws -> UInt8 {
        guard position < end else { throw Self.truncated("a byte") }
        defer { position += 1 }
        return bytes[position]
    }

    /// ULEB128, at most 10 bytes (64 bits).
    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63 && byte > 1 {
                throw ParquetError(.corruptMetadata, "Thrift varint does not fit in 64 bits at offset \(position - 1)")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 {
                throw ParquetError(.corruptMetadata, "Thrift varint longer than 10 bytes at offset \(position - 1)")
            }
        }
    }

    mutating func readZigzagInt64() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func readInt32() throws -> Int32 {
        let value = try readZigzagInt64()
        guard let narrow = Int32(exactly: value) else {
            throw ParquetError(.corruptMetadata, "Thrift i32 value \(value) out of range")
        }
        return narrow
    }

    mutating func readInt64() throws -> Int64 {
        try readZigzagInt64()
    }

    /// An i32 that must be a non-negative count or size.
    mutating func readNonNegativeInt32(_ what: @autoclosure () -> String) throws -> Int {
        let value = try readInt32()
        guard value >= 0 else { throw ParquetError(.corruptMetadata, "\(what()) is negative (\(value))") }
        return Int(value)
    }

    mutating func readBinary() throws -> ArraySlice<UInt8> {
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw ParquetError(.corruptMetadata, "Thrift binary of \(length) bytes runs past the end of its \(remaining)-byte container")
        }
        let start = position
        position += Int(length)
        return bytes[start..<position]
    }

    mutating func readString() throws -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    // MARK: Structs

    mutating func beginStruct() throws {
        depth += 1
        guard depth <= maxDepth else {
            throw ParquetError(.corruptMetadata, "Thrift structures nest deeper than \(maxDepth) levels")
        }
        lastFieldIDs.append(0)
    }

    mutating func endStruct() {
        lastFieldIDs.removeLast()
        depth -= 1
    }

    /// Next field header, or nil at the struct's stop byte.
    mutating func readFieldHeader() throws -> ThriftFieldHeader? {
        let byte = try readByte()
        if byte == 0 { return nil }
        guard let type = ThriftCompactType(rawValue: byte & 0x0F), type != .stop else {
            throw ParquetError(.corruptMetadata, "unknown Thrift field type \(byte & 0x0F) at offset \(position - 1)")
        }
        let delta = Int16(byte >> 4)
        let id: Int16
        if delta == 0 {
            let raw = try readZigzagInt64()
            guard let explicit = Int16(exactly: raw) else {
                throw ParquetError(.corruptMetadata, "Thrift field id \(raw) out of range")
            }
            id = explicit
        } else {
            id = lastFieldIDs[lastFieldIDs.count - 1] &+ delta
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
        return ThriftFieldHeader(id: id, type: type)
    }

    /// Reads a struct, handing each field to `body`; `body` must consume or skip the field.
    mutating func readStruct(_ body: (inout ThriftCompactReader, ThriftFieldHeader) throws -> Void) throws {
        try beginStruct()
        while let field = try readFieldHeader() {
            try body(&self, field)
        }
        endStruct()
    }

    // MARK: Containers

    /// Reads a list or set header; the count is checked against the remaining bytes because
    /// every element takes at least one byte (booleans in lists included).
    mutating func readListHeader() throws -> (elementType: ThriftCompactType, count: Int) {
        let byte = try readByte()
        var count = Int(byte >> 4)
        if count == 15 {
            let long = try readVarint()
            guard long <= UInt64(Int32.max) else {
                throw ParquetError(.corruptMetadata, "Thrift list length \(long) is too large")
            }
            count = Int(long)
        }
        guard let type = ThriftCompactType(rawValue: byte & 0x0F), type != .stop else {
            throw ParquetError(.corruptMetadata, "unknown Thrift list element type \(byte & 0x0F)")
        }
        guard count <= remaining else {
            throw ParquetError(.corruptMetadata, "Thrift list of \(count) elements cannot fit in the \(remaining) bytes left")
        }
        return (type, count)
    }

    /// Reads a whole list, calling `element` once per element.
    mutating func readList(
        _ what: @autoclosure () -> String,
        expecting expected: ThriftCompactType,
        _ element: (inout ThriftCompactReader) throws -> Void
    ) throws {
        let (type, count) = try readListHeader()
        let isBoolean: (ThriftCompactType) -> Bool = { $0 == .booleanTrue || $0 == .booleanFalse }
        guard type == expected || count == 0 || (isBoolean(type) && isBoolean(expected)) else {
            throw ParquetError(.corruptMetadata, "\(what()) has Thrift element type \(type) instead of \(expected)")
        }
        depth += 1
        guard depth <= maxDepth else {
            throw ParquetError(.corruptMetadata, "Thrift structures nest deeper than \(maxDepth) levels")
        }
        for _ in 0..<count { try element(&self) }
        depth -= 1
    }

    /// A boolean list element: one byte, 1 = true (Thrift writers use 2 for false, not 0).
    mutating func readListBoolean() throws -> Bool {
        try readByte() == 1
    }

    // MARK: Skipping

    /// Skips one value of `type`, recursing into containers with the nesting bound.
    mutating func skip(_ type: ThriftCompactType) throws {
        switch type {
        case .booleanTrue, .booleanFalse, .stop:
            // Field booleans live in the header; list booleans are handled in skipElement.
            return
        case .byte:
            _ = try readByte()
        case .i16, .i32, .i64:
            _ = try readVarint()
        case .double:
            guard remaining >= 8 else { throw Self.truncated("a double") }
            position += 8
        case .binary:
            _ = try readBinary()
        case .list, .set:
            let (elementType, count) = try readListHeader()
            try nested {
                for _ in 0..<count { try $0.skipElement(elementType) }
            }
        case .map:
            let count = try readVarint()
            guard count <= UInt64(remaining) else {
                throw ParquetError(.corruptMetadata, "Thrift map of \(count) entries cannot fit in the \(remaining) bytes left")
            }
            if count == 0 { return }
            let kinds = try readByte()
            guard let keyType = ThriftCompactType(rawValue: kinds >> 4),
                let valueType = ThriftCompactType(rawValue: kinds & 0x0F)
            else {
                throw ParquetError(.corruptMetadata, "unknown Thrift map key/value types \(kinds)")
            }
            try nested {
                for _ in 0..<count {
                    try $0.skipElement(keyType)
                    try $0.skipElement(valueType)
                }
            }
        case .structure:
            try readStruct { reader, field in try reader.skip(field.type) }
        }
    }

    /// Inside containers a boolean takes one byte, unlike a boolean field.
    private mutating func skipElement(_ type: ThriftCompactType) throws {
        switch type {
        case .booleanTrue, .booleanFalse: _ = try readByte()
        default: try skip(type)
        }
    }

    private mutating func nested(_ body: (inout ThriftCompactReader) throws -> Void) throws {
        depth += 1
        guard depth <= maxDepth else {
            throw ParquetError(.corruptMetadata, "Thrift structures nest deeper than \(maxDepth) levels")
        }
        try body(&self)
        depth -= 1
    }

    private static func truncated(_ what: String) -> ParquetError {
        ParquetError(.corruptMetadata, "Thrift data ends in the middle of \(what)")
    }
}
