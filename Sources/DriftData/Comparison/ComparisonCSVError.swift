import DriftStats

/// Why a comparison CSV could not be read. Lines and columns are 1-based, as an editor shows them.
package enum ComparisonCSVError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    case emptyInput
    case unrecognizedHeader(line: Int, found: String, expected: [String])
    case wrongFieldCount(line: Int, expected: Int, found: Int)
    case invalidValue(line: Int, column: Int, columnName: String, text: String, expected: String)
    case noDataRows(line: Int)

    package var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .emptyInput:
            "line 1: expected a header line, found an empty file"
        case .unrecognizedHeader(let line, let found, let expected):
            "line \(line): expected one of the headers \(expected.joined(separator: " | ")), found \"\(found)\""
        case .wrongFieldCount(let line, let expected, let found):
            "line \(line): expected \(expected) comma-separated fields, found \(found)"
        case .invalidValue(let line, let column, let columnName, let text, let expected):
            "line \(line), column \(column) (\(columnName)): expected \(expected), found \"\(text)\""
        case .noDataRows(let line):
            "line \(line): expected at least one data row after the header"
        }
    }
}
