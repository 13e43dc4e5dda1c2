/// The footer structs a flat reader needs, decoded from Thrift (field ids from parquet.thrift).
/// Everything else (statistics, page indexes, column orders, ...) is skipped.
struct FileMetaData {
    var version: Int32 = 0
    var schema: [SchemaElement] = []
    var numRows: Int64 = 0
    var rowGroups: [RowGroupMetaData] = []
    var keyValueMetadata: [(key: String, value: String?)] = []
    var createdBy: String?
    /// Field 8: present when the file uses encryption with a plaintext footer.
    var hasEncryptionAlgorithm = false

    init(from reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: version = try reader.i32Field(field) ?? 0
            case 2:
                guard field.type == .list else { return try reader.skip(field.type) }
                try reader.readList("FileMetaData.schema", expecting: .structure) { reader in
                    schema.append(try SchemaElement(from: &reader))
                }
            case 3: numRows = try reader.i64Field(field) ?? 0
            case 4:
                guard field.type == .list else { return try reader.skip(field.type) }
                try reader.readList("FileMetaData.row_groups", expecting: .structure) { reader in
                    rowGroups.append(try RowGroupMetaData(from: &reader))
                }
            case 5:
                guard field.type == .list else { return try reader.skip(field.type) }
                try reader.readList("FileMetaData.key_value_metadata", expecting: .structure) { reader in
                    var key = ""
                    var value: String?
                    try reader.readStruct { reader, field in
                        switch field.id {
                        case 1: key = try reader.stringField(field) ?? ""
                        case 2: value = try reader.stringField(field)
                        default: try reader.skip(field.type)
                        }
                    }
                    keyValueMetadata.append((key, value))
                }
            case 6: createdBy = try reader.stringField(field)
            case 8:
                hasEncryptionAlgorithm = true
                try reader.skip(field.type)
            default: try reader.skip(field.type)
            }
        }
    }
}

struct RowGroupMetaData {
    var columns: [ColumnChunkMetaData] = []
    var totalByteSize: Int64 = 0
    var numRows: Int64?

    init(from reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1:
                guard field.type == .list else { return try reader.skip(field.type) }
                try reader.readList("RowGroup.columns", expecting: .structure) { reader in
                    columns.append(try ColumnChunkMetaData(from: &reader))
                }
            case 2: totalByteSize = try reader.i64Field(field) ?? 0
            case 3: numRows = try reader.i64Field(field)
            default: try reader.skip(field.type)
            }
        }
    }
}

/// `ColumnChunk` with its `ColumnMetaData` (field 3) flattened in.
struct ColumnChunkMetaData {
    /// Field 1: set when the chunk lives in another file, which this reader does not follow.
    var filePath: String?
    var hasMetaData = false
    /// Fields 8/9: per-column encryption.
    var isEncrypted = false

    var type: Int32?
    var encodings: [Int32] = []
    var pathInSchema: [String] = []
    var codec: Int32?
    var numValues: Int64?
    var totalUncompressedSize: Int64 = 0
    var totalCompressedSize: Int64?
    var dataPageOffset: Int64?
    var dictionaryPageOffset: Int64?

    init(from reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: filePath = try reader.stringField(field)
            case 3:
                hasMetaData = try reader.structField(field) { reader, field in
                    try readColumnMetaDataField(field, from: &reader)
                }
            case 8, 9:
                isEncrypted = true
                try reader.skip(field.type)
            default: try reader.skip(field.type)
            }
        }
    }

    private mutating func readColumnMetaDataField(_ field: ThriftFieldHeader, from reader: inout ThriftCompactReader) throws {
        switch field.id {
        case 1: type = try reader.i32Field(field)
        case 2:
            guard field.type == .list else { return try reader.skip(field.type) }
            try reader.readList("ColumnMetaData.encodings", expecting: .i32) { reader in
                encodings.append(try reader.readInt32())
            }
        case 3:
            guard field.type == .list else { return try reader.skip(field.type) }
            try reader.readList("ColumnMetaData.path_in_schema", expecting: .binary) { reader in
                pathInSchema.append(try reader.readString())
            }
        case 4: codec = try reader.i32Field(field)
        case 5: numValues = try reader.i64Field(field)
        case 6: totalUncompressedSize = try reader.i64Field(field) ?? 0
        case 7: totalCompressedSize = try reader.i64Field(field)
        case 9: dataPageOffset = try reader.i64Field(field)
        case 11: dictionaryPageOffset = try reader.i64Field(field)
        default: try reader.skip(field.type)
        }
    }
}
