import DriftStats
import Foundation

/// The three CSV layouts a champion-vs-challenger comparison reads, identified by their exact header.
package enum ComparisonCSVLayout: String, CaseIterable, Sendable {
    case binary
    case multiclass
    case regression

    package var header: [String] {
        switch self {
        case .binary: ["id", "label", "champion_score", "challenger_score"]
        case .multiclass: ["id", "label", "champion_pred", "challenger_pred"]
        case .regression: ["id", "y", "champion_pred", "challenger_pred"]
        }
    }
}

/// Reads comparison CSVs. Numbers are parsed with `Double(text)`, exactly as the reference fixtures were
/// parsed back, so that every downstream number is computed from the same binary64 values as the reference.
/// No quoting: the layouts are numeric, and an id containing a comma is reported as a field-count error.
package enum ComparisonCSVReader {
    package static func read(contentsOf url: URL) throws(ComparisonCSVError) -> ComparisonData {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        return try read(text)
    }

    /// Parses CSV text; the layout is taken from the header unless `expectedLayout` insists on one.
    package static func read(_ text: String, expecting expectedLayout: ComparisonCSVLayout? = nil)
        throws(ComparisonCSVError) -> ComparisonData
    {
        // "\r\n" is one Character in Swift, so it is a separator of its own rather than "\n" after a "\r".
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        // A trailing newline (or several) is normal; an empty line between rows is not, and is reported.
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard var headerLine = lines.first else { throw .emptyInput }
        if headerLine.hasPrefix("\u{FEFF}") { headerLine = headerLine.dropFirst() }

        let headerFields = headerLine.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let candidates = expectedLayout.map { [$0] } ?? ComparisonCSVLayout.allCases
        guard let layout = candidates.first(where: { $0.header == headerFields }) else {
            throw .unrecognizedHeader(
                line: 1,
                found: String(headerLine),
                expected: candidates.map { $0.header.joined(separator: ",") }
            )
        }
        guard lines.count > 1 else { throw .noDataRows(line: 2) }

        var table = ParsedColumns(layout: layout)
        for (offset, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == layout.header.count else {
                throw .wrongFieldCount(line: offset + 1, expected: layout.header.count, found: fields.count)
            }
            try table.append(fields, line: offset + 1)
        }
        return table.comparisonData()
    }
}

/// Column-wise accumulation of validated rows.
private struct ParsedColumns {
    let layout: ComparisonCSVLayout
    var ids: [String] = []
    var integerColumns: [[Int]] = [[], [], []]
    var realColumns: [[Double]] = [[], [], []]

    init(layout: ComparisonCSVLayout) { self.layout = layout }

    mutating func append(_ fields: [Substring], line: Int) throws(ComparisonCSVError) {
        ids.append(String(fields[0]))
        for column in 1...3 {
            let text = fields[column]
            let cell = Cell(text: text, line: line, column: column + 1, name: layout.header[column])
            switch (layout, column) {
            case (.binary, 1):
                integerColumns[0].append(try cell.binaryLabel())
            case (.binary, _):
                realColumns[column - 1].append(try cell.probability())
            case (.multiclass, _):
                integerColumns[column - 1].append(try cell.classID())
            case (.regression, _):
                realColumns[column - 1].append(try cell.finiteNumber())
            }
        }
    }

    func comparisonData() -> ComparisonData {
        // The cells were validated one by one with their line and column, so these initializers cannot fail.
        do {
            switch layout {
            case .binary:
                return .binary(
                    try BinaryComparisonData(
                        ids: ids, labels: integerColumns[0], championScores: realColumns[1], challengerScores: realColumns[2]
                    ))
            case .multiclass:
                return .multiclass(
                    try MulticlassComparisonData(
                        ids: ids,
                        labels: integerColumns[0],
                        championPredictions: integerColumns[1],
                        challengerPredictions: integerColumns[2]
                    ))
            case .regression:
                return .regression(
                    try RegressionComparisonData(
                        ids: ids, targets: realColumns[0], championPredictions: realColumns[1], challengerPredictions: realColumns[2]
                    ))
            }
        } catch {
            preconditionFailure("cell validation let through invalid data: \(error)")
        }
    }
}

/// One field with where it came from, so every failure names its line and column.
private struct Cell {
    let text: Substring
    let line: Int
    let column: Int
    let name: String

    func invalid(expected: String) -> ComparisonCSVError {
        .invalidValue(line: line, column: column, columnName: name, text: String(text), expected: expected)
    }

    func finiteNumber() throws(ComparisonCSVError) -> Double {
        guard let value = Double(text), value.isFinite else { throw invalid(expected: "a finite number") }
        return value
    }

    func probability() throws(ComparisonCSVError) -> Double {
        guard let value = Double(text), (0...1).contains(value) else {
            throw invalid(expected: "a probability score in [0, 1]")
        }
        return value
    }

    func binaryLabel() throws(ComparisonCSVError) -> Int {
        guard let value = Double(text), value == 0 || value == 1 else { throw invalid(expected: "a label 0 or 1") }
        return Int(value)
    }

    func classID() throws(ComparisonCSVError) -> Int {
        // Doubles are exact integers only up to 2^53; beyond that a class id would silently change.
        guard let value = Double(text), value == value.rounded(), abs(value) <= 0x1p53 else {
            throw invalid(expected: "an integer class id")
        }
        return Int(value)
    }
}
