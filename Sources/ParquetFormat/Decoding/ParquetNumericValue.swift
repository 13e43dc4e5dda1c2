/// The fixed-width physical types that PLAIN stores as little-endian bytes: INT32, INT64,
/// FLOAT, DOUBLE.
protocol ParquetNumericValue: BitwiseCopyable {
    static var physicalType: ParquetPhysicalType { get }
    static var zero: Self { get }
    /// Integers accept DELTA_BINARY_PACKED; floats do not.
    static var allowsDeltaEncoding: Bool { get }
    /// Converts host order from the little-endian order just copied from the file.
    init(littleEndianStorage: Self)
    /// Truncates a DELTA_BINARY_PACKED result (only called when `allowsDeltaEncoding`).
    init(deltaBits: UInt64)
}

extension Int32: ParquetNumericValue {
    static var physicalType: ParquetPhysicalType { .int32 }
    static var allowsDeltaEncoding: Bool { true }
    init(littleEndianStorage: Int32) { self.init(littleEndian: littleEndianStorage) }
    init(deltaBits: UInt64) { self.init(truncatingIfNeeded: deltaBits) }
}

extension Int64: ParquetNumericValue {
    static var physicalType: ParquetPhysicalType { .int64 }
    static var allowsDeltaEncoding: Bool { true }
    init(littleEndianStorage: Int64) { self.init(littleEndian: littleEndianStorage) }
    init(deltaBits: UInt64) { self.init(truncatingIfNeeded: deltaBits) }
}

extension Float: ParquetNumericValue {
    static var physicalType: ParquetPhysicalType { .float }
    static var allowsDeltaEncoding: Bool { false }
    init(littleEndianStorage: Float) { self.init(bitPattern: UInt32(littleEndian: littleEndianStorage.bitPattern)) }
    init(deltaBits: UInt64) { self.init(bitPattern: UInt32(truncatingIfNeeded: deltaBits)) }
}

extension Double: ParquetNumericValue {
    static var physicalType: ParquetPhysicalType { .double }
    static var allowsDeltaEncoding: Bool { false }
    init(littleEndianStorage: Double) { self.init(bitPattern: UInt64(littleEndian: littleEndianStorage.bitPattern)) }
    init(deltaBits: UInt64) { self.init(bitPattern: deltaBits) }
}
