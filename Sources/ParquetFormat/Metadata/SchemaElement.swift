/// One `SchemaElement` of the footer's flattened schema tree, as written (ids from parquet.thrift).
struct SchemaElement: Equatable {
    var type: Int32?
    var typeLength: Int32?
    var repetitionType: Int32?
    var name = ""
    var numChildren: Int32?
    var convertedType: Int32?
    var scale: Int32?
    var precision: Int32?
    var logicalType: LogicalTypeAnnotation?

    init() {}

    init(from reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: type = try reader.i32Field(field)
            case 2: typeLength = try reader.i32Field(field)
            case 3: repetitionType = try reader.i32Field(field)
            case 4: name = try reader.stringField(field) ?? ""
            case 5: numChildren = try reader.i32Field(field)
            case 6: convertedType = try reader.i32Field(field)
            case 7: scale = try reader.i32Field(field)
            case 8: precision = try reader.i32Field(field)
            case 10:
                var annotation = LogicalTypeAnnotation.other(unionFieldID: 0)
                if try reader.structField(
                    field,
                    { reader, member in
                        annotation = try LogicalTypeAnnotation(unionMember: member, from: &reader)
                    })
                {
                    logicalType = annotation
                }
            default: try reader.skip(field.type)
            }
        }
    }
}

/// The `LogicalType` union (SchemaElement field 10), reduced to what a flat reader uses.
enum LogicalTypeAnnotation: Equatable {
    case string
    case map
    case list
    case enumeration
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: ParquetTimeUnit?)
    case timestamp(isAdjustedToUTC: Bool, unit: ParquetTimeUnit?)
    case integer(bitWidth: Int8, isSigned: Bool)
    case unknown
    case json
    case bson
    case uuid
    case float16
    /// A union member this reader does not know (variant, geometry, ...).
    case other(unionFieldID: Int16)

    /// Decodes one member of the union; the union struct's remaining fields (normally none)
    /// are handled by the caller's struct loop.
    init(unionMember member: ThriftFieldHeader, from reader: inout ThriftCompactReader) throws {
        var result = LogicalTypeAnnotation.other(unionFieldID: member.id)
        switch member.id {
        case 1: result = .string
        case 2: result = .map
        case 3: result = .list
        case 4: result = .enumeration
        case 5:
            var scale: Int32 = 0
            var precision: Int32 = 0
            try reader.structField(member) { reader, field in
                switch field.id {
                case 1: scale = try reader.i32Field(field) ?? 0
                case 2: precision = try reader.i32Field(field) ?? 0
                default: try reader.skip(field.type)
                }
            }
            self = .decimal(scale: scale, precision: precision)
            return
        case 6: result = .date
        case 7, 8:
            var adjusted = false
            var unit: ParquetTimeUnit?
            try reader.structField(member) { reader, field in
                switch field.id {
                case 1: adjusted = try reader.boolField(field) ?? false
                case 2: unit = try Self.readTimeUnit(field, from: &reader)
                default: try reader.skip(field.type)
                }
            }
            self =
                member.id == 7
                ? .time(isAdjustedToUTC: adjusted, unit: unit)
                : .timestamp(isAdjustedToUTC: adjusted, unit: unit)
            return
        case 10:
            var bitWidth: Int8 = 0
            var signed = true
            try reader.structField(member) { reader, field in
                switch field.id {
                case 1: bitWidth = Int8(truncatingIfNeeded: try reader.i32Field(field) ?? 0)
                case 2: signed = try reader.boolField(field) ?? true
                default: try reader.skip(field.type)
                }
            }
            self = .integer(bitWidth: bitWidth, isSigned: signed)
            return
        case 11: result = .unknown
        case 12: result = .json
        case 13: result = .bson
        case 14: result = .uuid
        case 15: result = .float16
        default: break
        }
        // Members without parameters are empty structs; skip whatever they hold.
        try reader.skip(member.type)
        self = result
    }

    /// TimeUnit is itself a union: 1 MILLIS, 2 MICROS, 3 NANOS (each an empty struct).
    private static func readTimeUnit(_ field: ThriftFieldHeader, from reader: inout ThriftCompactReader) throws -> ParquetTimeUnit? {
        var unit: ParquetTimeUnit?
        try reader.structField(field) { reader, member in
            switch member.id {
            case 1: unit = .milliseconds
            case 2: unit = .microseconds
            case 3: unit = .nanoseconds
            default: break
            }
            try reader.skip(member.type)
        }
        return unit
    }
}
