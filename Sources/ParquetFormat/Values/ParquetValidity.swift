/// Which slots of a column hold values; the others are null.
///
/// Stored as one Bool per row so decoding, appending and lookups are plain array operations;
/// the representation stays private to allow a bitmap later without changing callers.
package struct ParquetValidity: Sendable, Equatable {
    package private(set) var isValid: [Bool]
    package private(set) var nullCount: Int

    package init(isValid: [Bool]) {
        self.isValid = isValid
        self.nullCount = isValid.reduce(0) { $0 + ($1 ? 0 : 1) }
    }

    /// All slots valid.
    package init(allValid count: Int) {
        isValid = Array(repeating: true, count: count)
        nullCount = 0
    }

    package var count: Int { isValid.count }

    package func isNull(at index: Int) -> Bool { !isValid[index] }

    package mutating func append(_ slots: ArraySlice<Bool>, nullCount slotNulls: Int) {
        isValid.append(contentsOf: slots)
        nullCount += slotNulls
    }

    package mutating func appendValid(count: Int) {
        isValid.append(contentsOf: repeatElement(true, count: count))
    }

    package mutating func appendNull(count: Int) {
        isValid.append(contentsOf: repeatElement(false, count: count))
        nullCount += count
    }

    package mutating func append(contentsOf other: ParquetValidity) {
        isValid.append(contentsOf: other.isValid)
        nullCount += other.nullCount
    }
}
