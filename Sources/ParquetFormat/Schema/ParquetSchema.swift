/// The columns of a flat Parquet file, in file order.
package struct ParquetSchema: Sendable, Equatable {
    package let columns: [ParquetColumnDescriptor]

    /// The first column called `name` (Parquet does not forbid duplicates; pandas and DuckDB
    /// do not write them).
    package func column(named name: String) -> ParquetColumnDescriptor? {
        columns.first { $0.name == name }
    }
}

extension ParquetSchema {
    /// Largest FIXED_LEN_BYTE_ARRAY width accepted; real files use at most a few dozen bytes.
    static let maxFixedLengthBytes = 1 << 20

    /// Builds the flat schema from the footer's depth-first schema list.
    ///
    /// Element 0 is the root group; a flat file has only leaf columns under it. Any other group
    /// (struct, list, map) or REPEATED field is refused with the dotted path of the first leaf
    /// below it, because driftloop compares flat tables.
    init(elements: [SchemaElement]) throws {
        guard let root = elements.first else {
            throw ParquetError(.corruptMetadata, "the schema is empty (no root element)")
        }
        guard let rootChildren = root.numChildren, rootChildren >= 0 else {
            throw ParquetError(.corruptMetadata, "the schema root has no child count")
        }
        var columns: [ParquetColumnDescriptor] = []
        var index = 1
        while index < elements.count {
            let element = elements[index]
            if let children = element.numChildren, children > 0 {
                throw Self.nestedColumnError(elements: elements, groupIndex: index)
            }
            if element.repetitionType == 2 {
                throw ParquetError(.unsupported, "nested column `\(element.name)` (REPEATED) is not supported; driftloop reads flat tables")
            }
            columns.append(try Self.descriptor(for: element, index: columns.count))
            index += 1
        }
        guard columns.count == rootChildren else {
            throw ParquetError(.corruptMetadata, "the schema root declares \(rootChildren) columns but \(columns.count) follow")
        }
        self.columns = columns
    }

    private static func descriptor(for element: SchemaElement, index: Int) throws -> ParquetColumnDescriptor {
        guard let rawType = element.type else {
            throw ParquetError(.corruptMetadata, "column `\(element.name)` has no physical type")
        }
        guard let physicalType = ParquetPhysicalType(rawValue: rawType) else {
            throw ParquetError(.unsupported, "column `\(element.name)` has unknown physical type \(rawType)")
        }
        var typeLength: Int?
        switch physicalType {
        case .fixedLenByteArray:
            guard let length = element.typeLength, length > 0, Int(length) <= maxFixedLengthBytes else {
                throw ParquetError(
                    .corruptMetadata,
                    "column `\(element.name)`: FIXED_LEN_BYTE_ARRAY length \(element.typeLength.map(String.init) ?? "missing") is not in 1...\(maxFixedLengthBytes)"
                )
            }
            typeLength = Int(length)
        case .int96:
            typeLength = 12
        default:
            typeLength = nil
        }
        let repetition: ParquetRepetition
        switch element.repetitionType {
        case 1: repetition = .optional
        case 0, nil: repetition = .required
        default:
            throw ParquetError(.corruptMetadata, "column `\(element.name)` has unknown repetition type \(element.repetitionType ?? -1)")
        }
        return ParquetColumnDescriptor(
            index: index,
            name: element.name,
            physicalType: physicalType,
            logicalType: try ParquetLogicalType.resolve(element, physicalType: physicalType),
            repetition: repetition,
            typeLength: typeLength
        )
    }

    /// Names a nested column by the path to its first leaf, e.g. `a.b` or `tags.list.element`.
    private static func nestedColumnError(elements: [SchemaElement], groupIndex: Int) -> ParquetError {
        var path = [elements[groupIndex].name]
        var index = groupIndex
        // Depth-first order: a group's first child directly follows it. The walk is bounded by
        // the element count, so a corrupt child count cannot loop.
        while let children = elements[index].numChildren, children > 0, index + 1 < elements.count {
            index += 1
            path.append(elements[index].name)
        }
        return ParquetError(.unsupported, "nested column `\(path.joined(separator: "."))` is not supported; driftloop reads flat tables")
    }
}
