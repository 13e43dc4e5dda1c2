import DriftStats
import Foundation

// Reading the schema file is I/O, so it lives here; DriftStats only parses the bytes.
extension ColumnSchema {
    /// Loads a schema file: `{"columns": {"age": "num", "plan": "cat", "user_id": "ignore"}}`.
    package static func load(path: String) throws(ColumnSchemaError) -> ColumnSchema {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ColumnSchemaError(path: path, message: "cannot be read")
        }
        return try Self.parse(data, source: path)
    }
}
