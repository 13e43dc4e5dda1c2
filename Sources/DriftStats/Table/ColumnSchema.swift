import Foundation

/// Column types forced by the user, overriding what the values look like (Evidently's `DataDefinition`).
public enum ForcedColumnType: String, Sendable, Codable, CaseIterable {
    case numerical = "num"
    case categorical = "cat"
    /// Left out of drift altogether (ids, timestamps, free text).
    case ignored = "ignore"
}

/// A schema file: `{"columns": {"age": "num", "plan": "cat", "user_id": "ignore"}}`.
public struct ColumnSchema: Sendable, Equatable {
    public var types: [String: ForcedColumnType]

    public init(types: [String: ForcedColumnType] = [:]) {
        self.types = types
    }

    public static func load(path: String) throws(ColumnSchemaError) -> ColumnSchema {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ColumnSchemaError(path: path, message: "cannot be read")
        }
        return try Self.parse(data, source: path)
    }

    public static func parse(_ data: Data, source: String) throws(ColumnSchemaError) -> ColumnSchema {
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

public struct ColumnSchemaError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(self.path): \(self.message)" }
}
