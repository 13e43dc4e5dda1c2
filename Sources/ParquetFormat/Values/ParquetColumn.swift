/// One column's decoded rows: typed values plus which rows are null.
public struct ParquetColumn: Sendable, Equatable {
    public let descriptor: ParquetColumnDescriptor
    public private(set) var values: ParquetColumnValues
    /// nil when no row is null (always nil for REQUIRED columns).
    public private(set) var validity: ParquetValidity?

    package init(descriptor: ParquetColumnDescriptor, values: ParquetColumnValues, validity: ParquetValidity?) {
        self.descriptor = descriptor
        self.values = values
        self.validity = validity
    }

    public var name: String { descriptor.name }
    public var count: Int { values.count }
    public var nullCount: Int {
        if case let .null(count) = values { return count }
        return validity?.nullCount ?? 0
    }

    public func isNull(at row: Int) -> Bool {
        if case .null = values { return true }
        return validity?.isNull(at: row) ?? false
    }

    /// Appends the rows of `other` (the same column from a later row group).
    public mutating func append(contentsOf other: ParquetColumn) throws(ParquetError) {
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

    public func appending(_ other: ParquetColumn) throws(ParquetError) -> ParquetColumn {
        var copy = self
        try copy.append(contentsOf: other)
        return copy
    }
}
