/// Page types (PageHeader field 1).
enum PageType: Int32 {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}

/// `DataPageHeader` (V1).
struct DataPageHeaderV1 {
    var numValues: Int32 = -1
    var encoding: Int32 = -1
    var definitionLevelEncoding: Int32 = 3
}

/// `DictionaryPageHeader`.
struct DictionaryPageHeader {
    var numValues: Int32 = -1
    var encoding: Int32 = 0
}

/// `DataPageHeaderV2`.
struct DataPageHeaderV2 {
    var numValues: Int32 = -1
    var numNulls: Int32 = -1
    var numRows: Int32 = -1
    var encoding: Int32 = -1
    var definitionLevelsByteLength: Int32 = -1
    var repetitionLevelsByteLength: Int32 = -1
    /// Absent means true: only the values section is compressed, and only when this is true.
    var isCompressed = true
}

/// A decoded `PageHeader`. Sizes are kept as written; the page loop checks them against the
/// chunk before using them.
struct PageHeader {
    var type: Int32 = -1
    var uncompressedPageSize: Int32 = -1
    var compressedPageSize: Int32 = -1
    var dataPage: DataPageHeaderV1?
    var dictionaryPage: DictionaryPageHeader?
    var dataPageV2: DataPageHeaderV2?

    init() {}

    init(from reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: type = try reader.i32Field(field) ?? -1
            case 2: uncompressedPageSize = try reader.i32Field(field) ?? -1
            case 3: compressedPageSize = try reader.i32Field(field) ?? -1
            case 5:
                var header = DataPageHeaderV1()
                if try reader.structField(
                    field,
                    { reader, field in
                        switch field.id {
                        case 1: header.numValues = try reader.i32Field(field) ?? -1
                        case 2: header.encoding = try reader.i32Field(field) ?? -1
                        case 3: header.definitionLevelEncoding = try reader.i32Field(field) ?? -1
                        default: try reader.skip(field.type)
                        }
                    })
                {
                    dataPage = header
                }
            case 7:
                var header = DictionaryPageHeader()
                if try reader.structField(
                    field,
                    { reader, field in
                        switch field.id {
                        case 1: header.numValues = try reader.i32Field(field) ?? -1
                        case 2: header.encoding = try reader.i32Field(field) ?? -1
                        default: try reader.skip(field.type)
                        }
                    })
                {
                    dictionaryPage = header
                }
            case 8:
                var header = DataPageHeaderV2()
                if try reader.structField(
                    field,
                    { reader, field in
                        switch field.id {
                        case 1: header.numValues = try reader.i32Field(field) ?? -1
                        case 2: header.numNulls = try reader.i32Field(field) ?? -1
                        case 3: header.numRows = try reader.i32Field(field) ?? -1
                        case 4: header.encoding = try reader.i32Field(field) ?? -1
                        case 5: header.definitionLevelsByteLength = try reader.i32Field(field) ?? -1
                        case 6: header.repetitionLevelsByteLength = try reader.i32Field(field) ?? -1
                        case 7: header.isCompressed = try reader.boolField(field) ?? true
                        default: try reader.skip(field.type)
                        }
                    })
                {
                    dataPageV2 = header
                }
            default: try reader.skip(field.type)
            }
        }
    }
}
