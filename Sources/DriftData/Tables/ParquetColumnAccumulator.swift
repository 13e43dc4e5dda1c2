import DriftStats
import ParquetFormat

/// Builds one drift column from a Parquet column, row group by row group, typed the way Evidently types the
/// DataFrame that `pandas.read_parquet` gives (pandas 3.1, pyarrow 26):
///
/// | Parquet | pandas dtype | here |
/// |---|---|---|
/// | INT32/INT64, signed; no null in the data | int32/int64 | `integer` |
/// | any integer with a null in the data | float64 | `float` |
/// | unsigned integer, no null | uint8...uint64 | left out: Evidently calls uint dtypes Unknown |
/// | FLOAT, DOUBLE | float32/float64 | `float`; NaN is missing, as in pandas |
/// | BOOLEAN, no null | bool | `boolean` (categorical) |
/// | BOOLEAN with a null | object (True/False/None) | left out: an object column of non-strings is Unknown |
/// | STRING, ENUM, JSON | str | `string`; every value is text, `NA` included (a CSV reader would read it as missing) |
/// | DATE, TIME, DECIMAL, BINARY, UUID, UNKNOWN | object | left out (Unknown) |
/// | TIMESTAMP, INT96 | datetime64 | left out (Evidently's Datetime) |
///
/// A column forced `num` or `cat` by a schema is read as numbers or as its text (dates, times and decimals as
/// `driftloop data` writes them), whatever its type.
struct ParquetColumnAccumulator {
    let name: String
    let forced: ForcedColumnType?
    private var numbers: [Double] = []
    private var codes: [Int32] = []
    private var levels: [String] = []
    private var levelIndex: [String: Int32] = [:]
    private var sawNull = false
    private var kind: Kind?

    private enum Kind {
        case signedInteger, unsignedInteger, floating, boolean, text
        /// Read only to be left out (or forced); `reason` says why.
        case excluded(reason: String)
    }

    /// Set from the file's pandas metadata: a `category` column, or an extension dtype Evidently leaves out.
    private let pandasCategorical: Bool
    private let pandasExclusion: String?

    init(name: String, forced: ForcedColumnType?, pandas: PandasMetadata? = nil) {
        self.name = name
        self.forced = forced
        self.pandasCategorical = pandas?.isCategorical(name) ?? false
        self.pandasExclusion = pandas?.exclusion(of: name)
    }

    mutating func append(_ column: ParquetColumn) {
        if column.nullCount > 0 { self.sawNull = true }
        let kind = self.kind ?? Self.kind(of: column)
        self.kind = kind
        switch (self.forced, kind, column.values) {
        case (.categorical, _, _):
            self.appendTexts(column) { column.values.text(at: $0) ?? "" }
        case (.numerical, _, _), (nil, .signedInteger, _), (nil, .unsignedInteger, _), (nil, .floating, _):
            self.appendNumbers(column)
        case (nil, .boolean, .boolean(let values)):
            self.appendTexts(column) { values[$0] ? "True" : "False" }
        case (nil, .text, .string(let strings)):
            self.appendTexts(column) { strings.string(at: $0) }
        default:
            break
        }
    }

    private mutating func appendNumbers(_ column: ParquetColumn) {
        // The first row group's doubles without nulls are taken as they are: no copy, no second array in memory.
        if self.numbers.isEmpty, column.validity == nil, case .double(let values) = column.values {
            self.numbers = values
            return
        }
        let start = self.numbers.count
        self.numbers.reserveCapacity(start + column.count)
        switch column.values {
        case .double(let values): self.numbers.append(contentsOf: values)
        case .float(let values): self.numbers.append(contentsOf: values.lazy.map(Double.init))
        case .int64(let values): self.numbers.append(contentsOf: values.lazy.map(Double.init))
        case .int32(let values): self.numbers.append(contentsOf: values.lazy.map(Double.init))
        case .uint64(let values): self.numbers.append(contentsOf: values.lazy.map(Double.init))
        case .boolean(let values): self.numbers.append(contentsOf: values.lazy.map { $0 ? 1 : 0 })
        default:
            for row in 0..<column.count { self.numbers.append(column.values.number(at: row) ?? .nan) }
        }
        if let validity = column.validity {
            for row in 0..<column.count where validity.isNull(at: row) { self.numbers[start + row] = .nan }
        }
    }

    private mutating func appendTexts(_ column: ParquetColumn, _ text: (Int) -> String) {
        self.codes.reserveCapacity(self.codes.count + column.count)
        let validity = column.validity
        for row in 0..<column.count {
            if validity?.isNull(at: row) == true || column.isNull(at: row) {
                self.codes.append(-1)
                continue
            }
            let value = text(row)
            if let code = self.levelIndex[value] {
                self.codes.append(code)
            } else {
                let code = Int32(self.levels.count)
                self.levels.append(value)
                self.levelIndex[value] = code
                self.codes.append(code)
            }
        }
    }

    enum Built {
        case column(TableColumn)
        case excluded(ExcludedColumn)
    }

    /// The drift column, or why the column is left out.
    func build() -> Built {
        if self.forced == nil, let reason = self.pandasExclusion { return .excluded(ExcludedColumn(column: self.name, reason: reason)) }
        switch (self.forced, self.kind) {
        case (.categorical, _):
            return .column(TableColumn(name: self.name, storage: .string, values: .codes(self.codes, levels: self.levels)))
        case (.numerical, _):
            return .column(TableColumn(name: self.name, storage: .float, values: .numbers(self.numbers)))
        case (_, .signedInteger?):
            return .column(TableColumn(name: self.name, storage: self.sawNull ? .float : .integer, values: .numbers(self.numbers)))
        case (_, .unsignedInteger?):
            guard self.sawNull else {
                return .excluded(
                    ExcludedColumn(
                        column: self.name,
                        reason: "unsigned integer (pandas uint dtype, which Evidently leaves out); force `num` or `cat` in a schema to test it"))
            }
            return .column(TableColumn(name: self.name, storage: .float, values: .numbers(self.numbers)))
        case (_, .floating?):
            return .column(TableColumn(name: self.name, storage: .float, values: .numbers(self.numbers)))
        case (_, .boolean?):
            guard !self.sawNull else {
                return .excluded(
                    ExcludedColumn(
                        column: self.name,
                        reason: "boolean with nulls (pandas object dtype, which Evidently leaves out); force `cat` in a schema to test it"))
            }
            return .column(TableColumn(name: self.name, storage: .boolean, values: .codes(self.codes, levels: self.levels)))
        case (_, .text?):
            // pandas reads an all-null string column as objects with no string among them: Evidently's Unknown.
            guard !self.levels.isEmpty else {
                return .excluded(
                    ExcludedColumn(column: self.name, reason: "no values (an all-null column pandas reads as objects, which Evidently leaves out)"))
            }
            return .column(
                TableColumn(name: self.name, storage: self.pandasCategorical ? .category : .string, values: .codes(self.codes, levels: self.levels)))
        case (_, .excluded(let reason)?):
            return .excluded(ExcludedColumn(column: self.name, reason: reason))
        case (_, nil):
            // No row group: an empty file. Its schema still says what the column is; an empty float column tests as empty.
            return .column(TableColumn(name: self.name, storage: .float, values: .numbers([])))
        }
    }

    private static func kind(of column: ParquetColumn) -> Kind {
        let suffix = "; force `num` or `cat` in a schema to test it"
        switch (column.descriptor.logicalType, column.values) {
        case (.integer(_, false), _), (_, .uint64):
            return .unsignedInteger
        case (_, .int32), (_, .int64):
            return .signedInteger
        case (_, .float), (_, .double):
            return .floating
        case (_, .boolean):
            return .boolean
        case (_, .string):
            return .text
        case (_, .timestamp):
            return .excluded(reason: "timestamp (pandas datetime64, which Evidently leaves out of drift)" + suffix)
        case (_, .date):
            return .excluded(reason: "date (pandas object dtype holding dates, which Evidently leaves out)" + suffix)
        case (_, .time):
            return .excluded(reason: "time of day (pandas object dtype, which Evidently leaves out)" + suffix)
        case (_, .decimal):
            return .excluded(reason: "decimal (pandas object dtype holding Decimal, which Evidently leaves out)" + suffix)
        case (_, .binary):
            return .excluded(reason: "binary (pandas object dtype holding bytes, which Evidently leaves out)" + suffix)
        case (_, .null):
            return .excluded(reason: "always null (Parquet UNKNOWN type)")
        }
    }
}
