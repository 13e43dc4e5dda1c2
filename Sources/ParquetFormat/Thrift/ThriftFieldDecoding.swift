/// Typed field readers used by the metadata structs.
///
/// A field whose wire type is not the one the Parquet IDL declares is skipped as if unknown,
/// rather than misread; the caller then sees the field as absent and reports that.
extension ThriftCompactReader {
    mutating func i32Field(_ field: ThriftFieldHeader) throws -> Int32? {
        guard field.type == .i32 || field.type == .i16 || field.type == .byte else {
            try skip(field.type)
            return nil
        }
        if field.type == .byte { return Int32(Int8(bitPattern: try readByte())) }
        return try readInt32()
    }

    mutating func i64Field(_ field: ThriftFieldHeader) throws -> Int64? {
        guard field.type == .i64 || field.type == .i32 || field.type == .i16 else {
            try skip(field.type)
            return nil
        }
        return try readInt64()
    }

    mutating func boolField(_ field: ThriftFieldHeader) throws -> Bool? {
        guard field.type == .booleanTrue || field.type == .booleanFalse else {
            try skip(field.type)
            return nil
        }
        return field.booleanValue
    }

    mutating func stringField(_ field: ThriftFieldHeader) throws -> String? {
        guard field.type == .binary else {
            try skip(field.type)
            return nil
        }
        return try readString()
    }

    /// Runs `body` if the field is a struct, else skips it. Returns whether it ran.
    @discardableResult
    mutating func structField(
        _ field: ThriftFieldHeader,
        _ body: (inout ThriftCompactReader, ThriftFieldHeader) throws -> Void
    ) throws -> Bool {
        guard field.type == .structure else {
            try skip(field.type)
            return false
        }
        try readStruct(body)
        return true
    }
}
