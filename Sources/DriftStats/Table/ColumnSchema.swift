import Foundation

/// Column types forced by the user, overriding what the values look like (Evidently's `DataDefinition`).
package enum ForcedColumnType: String, Sendable, Codable, CaseIterable {
    case numerical = "num"
    case categorical = "cat"
    /// Left out of drift altogether (ids, timestamps, free text).
    case ignored = "ignore"
}

/// A schema file: `{"columns": {"age": "num", "plan": "cat", "user_id": "ignore"}}`.
package struct ColumnSchema: Sendable, Equatable {
    package var types: [String: ForcedColumnType]

    package init(types: [String: ForcedColumnType] = [:]) {
        self.types = types
    }

    package static func parse(_ data: Data, source: String) throws(ColumnSchemaError) -> ColumnSchema {
        let expected = #"expected {"columns": {"NAME": "num" | "cat" | "ignore", ...}}"#
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let columns = root["columns"] as? [String: Any]
        else {
            throw ColumnSchemaError(path: source, message: "is not a schema; \(expected)")
        }
        var types: [String: ForcedColumnType] = [:]
        for (name, value) in columns {
            guard let text = value as? String, let type = ForcedColumnType(rawValue: text) else {
                throw ColumnSchemaError(path: source, message: "column `\(name)` has type \(value); \(expected)")
            }
            types[name] = type
        }
        return ColumnSchema(types: types)
    }
}

/// A schema file that cannot be read or parsed, with the path and what the file should look like.
package struct ColumnSchemaError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var message: String

    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    package var description: String { "\(self.path): \(self.message)" }
}
