import DriftLoop
import Foundation

/// Left-aligned text columns for terminal output.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    /// Cells are escaped: they hold what the server answered, which a request may have filled with control characters.
    mutating func add(_ cells: String...) {
        self.rows.append(cells.map(LogText.escape))
    }

    func render() -> String {
        var widths = self.headers.map(\.count)
        for row in self.rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                // The last column is not padded, so no line ends in spaces.
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
            }.joined(separator: "  ")
        }
        return ([line(self.headers)] + self.rows.map(line)).joined(separator: "\n")
    }
}
