/// One column's decoded rows: typed values plus which rows are null.
package struct ParquetColumn: Sendable, Equatable {
    package let descriptor: ParquetColumnDescriptor
    package private(set) var values: ParquetColumnValues
    /// nil when no row is null (always nil for REQUIRED columns).
    package private(set) var validity: ParquetValidity?

    package init(descriptor: ParquetColumnDescriptor, values: ParquetColumnValues, validity: ParquetValidity?) {
        self.descriptor = descriptor
        self.values = values
        self.validity = validity
    }

    package var name: String { descriptor.name }
    package var count: Int { values.count }
    package var nullCount: Int {
        if case let .null(count) = values { return count }
        return validity?.nullCount ?? 0
    }

    package func isNull(at row: Int) -> Bool {
        if case .null = values { return true }
        return validity?.isNull(at: row) ?? false
    }

    /// Appends the rows of `other` (the same column from a later row group).
    package mutating func append(contentsOf other: ParquetColumn) throws(ParquetError) {
        guard other.descriptor == descriptor else {
            throw ParquetError(.invalidRequest, "cannot append column `\(other.name)` to column `\(name)`")
        }
        let existingCount = count
        try values.append(contentsOf: other.values)
        // Taken out of `self` before growing so the array is uniquely owned (no full copy).
        let theirs = other.validity
        if var mine = validity {
            validity = nil
            if let theirs {
                mine.append(contentsOf: theirs)
            } else {
                mine.appendValid(count: other.count)
            }
            validity = mine
        } else if let theirs {
            var combined = ParquetValidity(allValid: existingCount)
            combined.append(contentsOf: theirs)
            validity = combined
        }
    }

    package func appending(_ other: ParquetColumn) throws(ParquetError) -> ParquetColumn {
        var copy = self
        try copy.append(contentsOf: other)
        return copy
    }
}
