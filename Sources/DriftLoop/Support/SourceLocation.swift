/// A place in a YAML file, for error messages that say exactly where to look.
package struct SourceLocation: Sendable, Hashable, CustomStringConvertible, Codable {
    package var file: String
    /// 1-based line.
    package var line: Int
    /// 1-based column.
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    package var description: String { "\(self.file):\(self.line):\(self.column)" }
}

/// One problem found in a configuration or pipeline file.
package struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Codable {
    package var location: SourceLocation
    package var message: String

    package init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    package var description: String { "\(self.location): error: \(self.message)" }
}

/// Every problem found in one file; loading stops only after all of them are collected.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]

    package init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { self.diagnostics.map(\.description).joined(separator: "\n") }
}
