import DriftStats
import ParquetFormat

/// Reads the columns a drift check needs from one or more Parquet files (the objects under a prefix are one dataset)
/// into the column tables the CSV reader produces. Row groups stream through: memory grows with the columns kept,
/// not with the files.
package struct ParquetTableReader: Sendable {
    /// Columns to keep; nil keeps every column.
    package var columns: [String]?
    package var schema: ColumnSchema

    package init(columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()) {
        self.columns = columns
        self.schema = schema
    }

    /// One file.
    package func read(_ file: ParquetFile) throws -> DataTable {
        try self.read([file], source: file.name)
    }

    /// Several files with the same columns, in order, as one table. `source` names them all in errors.
    package func read(_ files: [ParquetFile], source: String) throws -> DataTable {
        guard let first = files.first else { throw TableReadError.empty(source: source) }
        let available = first.schema.columns.map(\.name)
        let names: [String]
        if let wanted = self.columns {
            let missing = wanted.filter { !available.contains($0) }
            guard missing.isEmpty else { throw TableReadError.unknownColumns(source: first.name, missing: missing, available: available) }
            names = wanted
        } else {
            names = available
        }
        let pandas = PandasMetadata(first)
        var accumulators = names.map { ParquetColumnAccumulator(name: $0, forced: self.schema.types[$0], pandas: pandas) }
        var rowCount = 0
        for file in files {
            try Self.checkSameColumns(file, as: first, names: names)
            var groups = try file.rowGroupIterator(columns: names)
            while let group = try groups.next() {
                rowCount += group.rowCount
                for (index, column) in group.columns.enumerated() { accumulators[index].append(column) }
            }
        }
        var columns: [TableColumn] = []
        var excluded: [ExcludedColumn] = []
        for accumulator in accumulators where self.schema.types[accumulator.name] != .ignored {
            switch accumulator.build() {
            case .column(let column): columns.append(column)
            case .excluded(let reason): excluded.append(reason)
            }
        }
        return DataTable(columns: columns, rowCount: rowCount, excluded: excluded)
    }

    /// Objects read as one dataset must agree on each kept column's name and type.
    private static func checkSameColumns(_ file: ParquetFile, as first: ParquetFile, names: [String]) throws {
        guard file.name != first.name else { return }
        for name in names {
            let expected = first.schema.columns.first { $0.name == name }
            guard let actual = file.schema.columns.first(where: { $0.name == name }) else {
                throw ParquetDatasetError.missingColumn(file: file.name, column: name, firstFile: first.name)
            }
            if let expected, expected.physicalType != actual.physicalType || expected.logicalType != actual.logicalType {
                throw ParquetDatasetError.differentType(
                    file: file.name, column: name, type: "\(actual.physicalType) \(actual.logicalType)", firstFile: first.name,
                    firstType: "\(expected.physicalType) \(expected.logicalType)")
            }
        }
    }
}

/// Files read as one dataset that do not fit together.
package enum ParquetDatasetError: Error, Sendable, CustomStringConvertible {
    case missingColumn(file: String, column: String, firstFile: String)
    case differentType(file: String, column: String, type: String, firstFile: String, firstType: String)

    package var description: String {
        switch self {
        case .missingColumn(let file, let column, let first):
            "\(file): has no column `\(column)`, which \(first) has; every object read as one dataset needs the same columns"
        case .differentType(let file, let column, let type, let first, let firstType):
            "\(file): column `\(column)` is \(type), but \(firstType) in \(first); every object read as one dataset needs the same column types"
        }
    }
}
