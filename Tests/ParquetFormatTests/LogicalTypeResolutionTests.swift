import Testing

@testable import ParquetFormat

/// LogicalType wins over ConvertedType; ConvertedType alone is read as LogicalTypes.md's
/// backward-compatibility table says (DuckDB writes only ConvertedType).
@Suite("Logical type resolution")
struct LogicalTypeResolutionTests {
    static func element(
        type: ParquetPhysicalType, converted: Int32? = nil, logical: LogicalTypeAnnotation? = nil,
        precision: Int32? = nil, scale: Int32? = nil, length: Int32? = nil
    ) -> SchemaElement {
        var element = SchemaElement()
        element.name = "c"
        element.type = type.rawValue
        element.convertedType = converted
        element.logicalType = logical
        element.precision = precision
        element.scale = scale
        element.typeLength = length
        return element
    }

    static func resolve(_ element: SchemaElement) throws -> ParquetLogicalType {
        try ParquetLogicalType.resolve(element, physicalType: ParquetPhysicalType(rawValue: element.type!)!)
    }

    @Test("ConvertedType alone")
    func convertedOnly() throws {
        #expect(try Self.resolve(Self.element(type: .byteArray, converted: 0)) == .string)
        #expect(try Self.resolve(Self.element(type: .int32, converted: 6)) == .date)
        #expect(try Self.resolve(Self.element(type: .int64, converted: 9)) == .timestamp(unit: .milliseconds, isAdjustedToUTC: true))
        #expect(try Self.resolve(Self.element(type: .int64, converted: 10)) == .timestamp(unit: .microseconds, isAdjustedToUTC: true))
        #expect(try Self.resolve(Self.element(type: .int32, converted: 7)) == .time(unit: .milliseconds, isAdjustedToUTC: true))
        #expect(try Self.resolve(Self.element(type: .int32, converted: 11)) == .integer(bitWidth: 8, isSigned: false))
        #expect(try Self.resolve(Self.element(type: .int64, converted: 18)) == .integer(bitWidth: 64, isSigned: true))
        #expect(try Self.resolve(Self.element(type: .int64, converted: 5, precision: 18, scale: 4)) == .decimal(precision: 18, scale: 4))
    }

    @Test("LogicalType wins when both are present")
    func logicalWins() throws {
        let naive = Self.element(type: .int64, converted: 10, logical: .timestamp(isAdjustedToUTC: false, unit: .microseconds))
        #expect(try Self.resolve(naive) == .timestamp(unit: .microseconds, isAdjustedToUTC: false))
        let unknownNewer = Self.element(type: .byteArray, converted: 0, logical: .other(unionFieldID: 17))
        #expect(try Self.resolve(unknownNewer) == .string)
    }

    @Test("annotations that do not fit the physical type are refused")
    func mismatches() {
        #expect(throws: ParquetError.self) { try Self.resolve(Self.element(type: .double, converted: 6)) }
        #expect(throws: ParquetError.self) { try Self.resolve(Self.element(type: .int32, logical: .decimal(scale: 2, precision: 10))) }
        #expect(throws: ParquetError.self) {
            try Self.resolve(Self.element(type: .fixedLenByteArray, logical: .decimal(scale: 2, precision: 40), length: 17))
        }
        #expect(throws: ParquetError.self) { try Self.resolve(Self.element(type: .int32, logical: .decimal(scale: 5, precision: 3))) }
        #expect(throws: ParquetError.self) { try Self.resolve(Self.element(type: .int64, logical: .integer(bitWidth: 32, isSigned: true))) }
    }

    @Test("INT96 without annotation is a local nanosecond timestamp")
    func int96() throws {
        #expect(try Self.resolve(Self.element(type: .int96)) == .timestamp(unit: .nanoseconds, isAdjustedToUTC: false))
    }
}
