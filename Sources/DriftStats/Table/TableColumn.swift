/// How a CSV column was read, mirroring the pandas dtype `read_csv` would give it, because Evidently's column
/// typing (and so its choice of test) depends on that dtype.
package enum StorageType: String, Sendable, Codable {
    /// Every present value is an integer and none is missing (pandas `int64`).
    case integer
    /// Numbers with a fraction, an exponent, infinities, or any missing value (pandas `float64`).
    case float
    /// Every present value is a boolean literal (pandas `bool`).
    case boolean
    /// Anything else (pandas `object`).
    case string
    /// Text held as pandas' `category` dtype (a Parquet file written from one): categorical whatever its cardinality.
    case category
}

/// One column's values. Numbers are kept as `Double` (missing is NaN); strings are interned as codes into
/// `levels` (missing is -1) so a categorical column of any length costs 4 bytes a row.
package struct TableColumn: Sendable {
    package enum Values: Sendable {
        case numbers([Double])
        case codes([Int32], levels: [String])
    }

    package var name: String
    package var storage: StorageType
    package var values: Values

    package init(name: String, storage: StorageType, values: Values) {
        self.name = name
        self.storage = storage
        self.values = values
    }

    package var count: Int {
        switch self.values {
        case .numbers(let numbers): numbers.count
        case .codes(let codes, _): codes.count
        }
    }

    /// Present (non-missing) values as text, for categorical treatment of any column.
    package func categoricalValues() -> [String] {
        switch self.values {
        case .numbers(let numbers):
            return numbers.compactMap { $0.isNaN ? nil : Self.text(of: $0, storage: self.storage) }
        case .codes(let codes, let levels):
            return codes.compactMap { $0 < 0 ? nil : levels[Int($0)] }
        }
    }

    /// Present finite numbers (NaN and ±inf dropped, as Evidently cleans a column before testing it).
    package func finiteNumbers() -> [Double]? {
        guard case .numbers(let numbers) = self.values else { return nil }
        return numbers.filter { $0.isFinite }
    }

    static func text(of value: Double, storage: StorageType) -> String {
        if storage == .integer, let integer = Int64(exactly: value) { return String(integer) }
        return String(value)
    }
}

/// The columns kept from one table (a CSV or Parquet file, objects under a prefix, a query's rows).
package struct DataTable: Sendable {
    package var columns: [TableColumn]
    package var rowCount: Int
    /// Columns the source has but drift leaves out, with why: a Parquet DATE, TIMESTAMP or DECIMAL column is a type
    /// pandas does not give Evidently as a number or text, so Evidently does not test it.
    package var excluded: [ExcludedColumn]
    /// Where the rows came from, for the report.
    package var source: DataSourceSummary?
    /// Columns that one value made text (see `ColumnTypingWarning`).
    package var warnings: [ColumnTypingWarning]

    package init(
        columns: [TableColumn], rowCount: Int, excluded: [ExcludedColumn] = [], source: DataSourceSummary? = nil,
        warnings: [ColumnTypingWarning] = []
    ) {
        self.columns = columns
        self.rowCount = rowCount
        self.excluded = excluded
        self.source = source
        self.warnings = warnings
    }

    package subscript(name: String) -> TableColumn? {
        self.columns.first { $0.name == name }
    }

    package var columnNames: [String] { self.columns.map(\.name) }
}

/// A column present in the source but left out of drift, and why.
package struct ExcludedColumn: Sendable, Codable, Equatable {
    package var column: String
    package var reason: String

    package init(column: String, reason: String) {
        self.column = column
        self.reason = reason
    }
}

/// What a drift report says about where a table came from.
package struct DataSourceSummary: Sendable, Codable, Equatable {
    /// The location as given: a path, a URL, `s3://bucket/prefix/*.parquet`, `postgres: <query>`, `recent feedback`.
    package var source: String
    /// `csv`, `parquet`, `postgres` or `feedback`.
    package var format: String
    package var rows: Int
    /// Objects read, for a prefix or glob.
    package var objects: Int?
    /// Bytes fetched over the network (range reads), when the source is remote.
    package var bytesFetched: Int?

    package init(source: String, format: String, rows: Int, objects: Int? = nil, bytesFetched: Int? = nil) {
        self.source = source
        self.format = format
        self.rows = rows
        self.objects = objects
        self.bytesFetched = bytesFetched
    }

    enum CodingKeys: String, CodingKey {
        case source, format, rows, objects
        case bytesFetched = "bytes_fetched"
    }
}
