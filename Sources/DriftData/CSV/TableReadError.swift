import DriftStats

/// Why a CSV file could not be read; each case names where, so the user can fix the file.
package enum TableReadError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(source: String, reason: String)
    case empty(source: String)
    case raggedRow(source: String, line: Int, expected: Int, found: Int)
    case unterminatedQuote(source: String, line: Int)
    case unparsableNumber(source: String, line: Int, column: String, text: String)
    case unknownColumns(source: String, missing: [String], available: [String])
    case duplicateColumn(source: String, column: String)

    package var description: String {
        switch self {
        case .unreadable(let source, let reason):
            "\(source): cannot be read: \(reason)"
        case .empty(let source):
            "\(source): the file is empty; expected a header row of column names, then one row per record"
        case .raggedRow(let source, let line, let expected, let found):
            "\(source):\(line): the row has \(found) fields but the header has \(expected); quote fields that contain commas"
        case .unterminatedQuote(let source, let line):
            "\(source):\(line): a quoted field is never closed; close it with \" (write \"\" for a quote inside)"
        case .unparsableNumber(let source, let line, let column, let text):
            "\(source):\(line): column `\(column)` is declared numerical but holds `\(text)`; expected a number, or an empty field for a missing value"
        case .unknownColumns(let source, let missing, let available):
            "\(source): no column named \(missing.map { "`\($0)`" }.joined(separator: ", ")); the header has \(available.joined(separator: ", "))"
        case .duplicateColumn(let source, let column):
            "\(source): the header names column `\(column)` twice; column names must be unique"
        }
    }
}
