/// What a value decoder needs to know about the column beyond the physical type.
struct ValueDecodingContext {
    /// FIXED_LEN_BYTE_ARRAY width (12 for INT96).
    var typeLength: Int
    /// Cap on the decoded bytes of a byte-array column chunk.
    var byteLimit: Int
}

/// Row-aligned storage for one physical type while a column chunk is decoded.
///
/// The chunk decoder drives pages generically over this protocol: each page appends its
/// non-null values (decoded by the page's own encoding, or gathered from the dictionary), and
/// then, if the page had nulls, the store spreads those values out over the page's slots.
protocol PhysicalValueStore {
    init(context: ValueDecodingContext)
    var count: Int { get }
    mutating func reserveCapacity(_ values: Int)

    /// Appends `count` values decoded from `data`, the page's whole values section, with a
    /// non-dictionary encoding. Throws for encodings the physical type does not allow.
    mutating func appendDecoded(_ encoding: ParquetEncoding, count: Int, from data: UnsafeRawBufferPointer) throws

    /// Appends `dictionary[i]` for each index; throws if an index is out of range.
    mutating func appendGathered(from dictionary: Self, indices: [UInt32]) throws

    /// Spreads the last `nonNullCount` values over `isPresent.count` slots, writing a
    /// placeholder into each slot that is not present.
    mutating func spreadTrailingValues(over isPresent: ArraySlice<Bool>, nonNullCount: Int)
}

extension PhysicalValueStore {
    static func unsupported(_ encoding: ParquetEncoding, for type: ParquetPhysicalType) -> ParquetError {
        ParquetError(.unsupported, "encoding \(encoding) is not valid for \(type) values")
    }

    /// Checks dictionary indices before any gather loop runs unchecked.
    static func checkIndices(_ indices: [UInt32], dictionaryCount: Int) throws {
        var largest: UInt32 = 0
        for index in indices where index > largest { largest = index }
        if !indices.isEmpty && Int(largest) >= dictionaryCount {
            throw ParquetError(.corruptPage, "dictionary index \(largest) is out of range for a dictionary of \(dictionaryCount) values")
        }
    }
}

extension Array {
    /// Spreads the last `nonNullCount` elements over `isPresent.count` slots, in place, from the
    /// back; slots that are not present get `placeholder`.
    mutating func spreadTrailingElements(over isPresent: ArraySlice<Bool>, nonNullCount: Int, placeholder: Element) {
        let slotCount = isPresent.count
        guard slotCount > nonNullCount else { return }
        let firstSlot = count - nonNullCount
        append(contentsOf: repeatElement(placeholder, count: slotCount - nonNullCount))
        withUnsafeMutableBufferPointer { buffer in
            var source = firstSlot + nonNullCount - 1
            var destination = firstSlot + slotCount - 1
            for present in isPresent.reversed() {
                if present {
                    buffer[destination] = buffer[source]
                    source -= 1
                } else {
                    buffer[destination] = placeholder
                }
                destination -= 1
            }
        }
    }
}
