import DriftStats
import ParquetFormat

/// Writes a column table (what the drift check sees from a CSV file, a query or live feedback) in the fixture CSV
/// format that `driftloop data` prints for every source: a header, every string quoted, a missing value as an
/// empty unquoted field, integers in base 10, floats as Python's `repr` writes them, booleans `true`/`false`.
package enum TableCSVWriter {
    package static func render(_ table: DataTable, rows: Range<Int>? = nil) -> [UInt8] {
        var output: [UInt8] = []
        for (position, column) in table.columns.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            Self.appendName(column.name, to: &output)
        }
        output.append(0x0A)
        let range = (rows ?? 0..<table.rowCount).clamped(to: 0..<table.rowCount)
        for row in range {
            for (position, column) in table.columns.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                Self.appendField(column, row: row, to: &output)
            }
            output.append(0x0A)
        }
        return output
    }

    private static func appendField(_ column: TableColumn, row: Int, to output: inout [UInt8]) {
        switch column.values {
        case .numbers(let numbers):
            let value = numbers[row]
            guard !value.isNaN else { return }
            if column.storage == .integer, let integer = Int64(exactly: value) {
                output.append(contentsOf: String(integer).utf8)
            } else {
                output.append(contentsOf: PythonFloatText.render(value).utf8)
            }
        case .codes(let codes, let levels):
            let code = codes[row]
            guard code >= 0 else { return }
            if column.storage == .boolean {
                output.append(contentsOf: (levels[Int(code)] == "True" ? "true" : "false").utf8)
            } else {
                Self.appendQuoted(levels[Int(code)], to: &output)
            }
        }
    }

    private static func appendName(_ name: String, to output: inout [UInt8]) {
        if name.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
            Self.appendQuoted(name, to: &output)
        } else {
            output.append(contentsOf: name.utf8)
        }
    }

    private static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }
}
