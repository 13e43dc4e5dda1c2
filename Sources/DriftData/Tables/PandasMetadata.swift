import Foundation
import ParquetFormat

/// The dtypes pandas recorded when it wrote a Parquet file (the footer's `pandas` key). `pandas.read_parquet`
/// restores them, and they change what Evidently sees: a `category` column is categorical whatever its cardinality,
/// and the nullable extension dtypes (`Int32`, `UInt8`, `Float64`, `boolean`) are ones Evidently leaves out.
struct PandasMetadata {
    struct ColumnDtype {
        var pandasType: String
        var numpyType: String
    }

    var columns: [String: ColumnDtype]

    /// Extension dtypes whose names do not start with `int`/`float`, so Evidently's typing calls them Unknown.
    static let nullableExtensionTypes: Set<String> = [
        "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float32", "Float64", "boolean",
    ]

    init?(_ file: ParquetFile) {
        guard let text = file.keyValueMetadata.first(where: { $0.key == "pandas" })?.value,
            let root = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let columns = root["columns"] as? [[String: Any]]
        else { return nil }
        var dtypes: [String: ColumnDtype] = [:]
        for column in columns {
            guard let name = (column["field_name"] as? String) ?? (column["name"] as? String) else { continue }
            dtypes[name] = ColumnDtype(pandasType: column["pandas_type"] as? String ?? "", numpyType: column["numpy_type"] as? String ?? "")
        }
        self.columns = dtypes
    }

    /// Why pandas' restored dtype keeps Evidently from testing the column, if it does.
    func exclusion(of name: String) -> String? {
        guard let dtype = self.columns[name], Self.nullableExtensionTypes.contains(dtype.numpyType) else { return nil }
        return
            "pandas nullable \(dtype.numpyType) dtype (restored from the file's pandas metadata), which Evidently leaves out; force `num` or `cat` in a schema to test it"
    }

    func isCategorical(_ name: String) -> Bool { self.columns[name]?.pandasType == "categorical" }
}
