/// Variable-length byte strings stored Arrow-style: one contiguous byte buffer plus offsets, so
/// a column of a million strings is two allocations, and appending row groups is two copies.
package struct ParquetByteArrays: Sendable, Equatable {
    /// `count + 1` ascending offsets into `bytes`; value i is `bytes[offsets[i]..<offsets[i+1]]`.
    package private(set) var offsets: [Int]
    package private(set) var bytes: [UInt8]

    package init() {
        offsets = [0]
        bytes = []
    }

    package var count: Int { offsets.count - 1 }
    package var isEmpty: Bool { offsets.count == 1 }

    package subscript(index: Int) -> ArraySlice<UInt8> {
        bytes[offsets[index]..<offsets[index + 1]]
    }

    /// Value `index` as text; invalid UTF-8 is repaired with U+FFFD.
    package func string(at index: Int) -> String {
        String(decoding: self[index], as: UTF8.self)
    }

    /// All values as Swift strings (allocates one String per value).
    package var strings: [String] {
        (0..<count).map(string(at:))
    }

    package mutating func append(_ value: some Collection<UInt8>) {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    package mutating func append(contentsOf other: ParquetByteArrays) {
        let shift = bytes.count
        bytes.append(contentsOf: other.bytes)
        offsets.reserveAdditionalCapacity(other.count)
        for offset in other.offsets.dropFirst() {
            offsets.append(offset + shift)
        }
    }

    /// Room for `values` more values holding `byteCount` more bytes (growth stays geometric).
    package mutating func reserveAdditionalCapacity(values: Int, bytes byteCount: Int) {
        offsets.reserveAdditionalCapacity(values)
        bytes.reserveAdditionalCapacity(byteCount)
    }

    /// Appends raw bytes as one value.
    package mutating func append(_ value: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: value)
        offsets.append(bytes.count)
    }

    /// Appends `count` empty values (the placeholders of null slots).
    package mutating func appendEmpty(count: Int) {
        offsets.append(contentsOf: repeatElement(bytes.count, count: count))
    }

    /// Re-spreads the last `nonNullCount` values over `isPresent.count` slots, giving each
    /// absent slot an empty value. Walks backwards so it can work in place.
    package mutating func spreadTrailingValues(over isPresent: ArraySlice<Bool>, nonNullCount: Int) {
        let slotCount = isPresent.count
        guard slotCount > nonNullCount else { return }
        let firstSlot = offsets.count - 1 - nonNullCount
        offsets.append(contentsOf: repeatElement(0, count: slotCount - nonNullCount))
        offsets.withUnsafeMutableBufferPointer { offsets in
            // Entry firstSlot + 1 + k holds the end of slot k. `source` walks the ends of the
            // non-null values; a null slot ends where the preceding non-null value ended.
            var source = firstSlot + nonNullCount
            var destination = firstSlot + slotCount
            for present in isPresent.reversed() {
                offsets[destination] = offsets[source]
                if present { source -= 1 }
                destination -= 1
            }
        }
    }
}
