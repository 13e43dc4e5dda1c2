/// Writes decoded columns as CSV in the fixture format (PARQUET-NOTES.md section 8):
///
/// - header of column names, `,` separators, `\n` line ends, UTF-8 without BOM;
/// - null = an empty unquoted field; every string value double-quoted with `"` doubled, so
///   `""` is the empty string;
/// - booleans `true`/`false`, integers in base 10, floats as Python's `repr` of the value
///   widened to Double (`nan`, `inf`, `-inf`, `-0.0`);
/// - DATE `YYYY-MM-DD`, TIMESTAMP `YYYY-MM-DDTHH:MM:SS` with 3/6/9 fraction digits and `Z`
///   when adjusted to UTC, TIME `HH:MM:SS.fff…`, DECIMAL with exactly `scale` fraction digits;
/// - binary values (not in the fixture format) as unquoted `0x` + lowercase hex.
///
/// Output is bytes, so string values pass through unchanged even if they are not valid UTF-8.
package struct ParquetCSVWriter: Sendable {
    package private(set) var output: [UInt8] = []

    package init() {}

    /// The header line.
    package mutating func writeHeader(_ names: [String]) {
        for (position, name) in names.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            let bytes = Array(name.utf8)
            let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes { appendQuoted(bytes[...]) } else { output.append(contentsOf: bytes) }
        }
        output.append(0x0A)
    }

    /// One line per row (of `rows`, default all); all columns must have the same row count.
    package mutating func writeRows(_ columns: [ParquetColumn], rows: Range<Int>? = nil) throws(ParquetError) {
        guard let rowCount = columns.first?.count else { return }
        guard columns.allSatisfy({ $0.count == rowCount }) else {
            throw ParquetError(.invalidRequest, "columns of different lengths cannot be written as rows")
        }
        let range = (rows ?? 0..<rowCount).clamped(to: 0..<rowCount)
        for row in range {
            for (position, column) in columns.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                appendField(column, row: row)
            }
            output.append(0x0A)
        }
    }

    /// Hands the bytes written so far to the caller and starts afresh (for streaming output).
    package mutating func takeOutput() -> [UInt8] {
        defer { output = [] }
        return output
    }

    /// A whole table: header and rows.
    package static func render(_ columns: [ParquetColumn]) throws(ParquetError) -> [UInt8] {
        var writer = ParquetCSVWriter()
        writer.writeHeader(columns.map(\.name))
        try writer.writeRows(columns)
        return writer.output
    }

    private mutating func appendField(_ column: ParquetColumn, row: Int) {
        if column.isNull(at: row) { return }
        switch column.values {
        case let .boolean(values): appendText(values[row] ? "true" : "false")
        case let .int32(values): appendText(String(values[row]))
        case let .int64(values): appendText(String(values[row]))
        case let .uint64(values): appendText(String(values[row]))
        case let .float(values): appendText(PythonFloatText.render(Double(values[row])))
        case let .double(values): appendText(PythonFloatText.render(values[row]))
        case let .string(values): appendQuoted(values[row])
        case let .binary(values): appendHex(values[row])
        case let .date(values): appendText(CivilTime.dateText(daysSinceEpoch: Int64(values[row])))
        case let .time(values, unit, utc):
            appendText(CivilTime.timeOfDayText(ticks: values[row], unit: unit) + (utc ? "Z" : ""))
        case let .timestamp(values, unit, utc):
            appendText(CivilTime.timestampText(ticks: values[row], unit: unit, isAdjustedToUTC: utc))
        case let .decimal(values, _, scale): appendText(DecimalText.render(unscaled: values[row], scale: scale))
        case .null: return
        }
    }

    private mutating func appendText(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    private mutating func appendQuoted(_ bytes: ArraySlice<UInt8>) {
        output.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { output.append(byte) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }

    private mutating func appendHex(_ bytes: ArraySlice<UInt8>) {
        let digits = Array("0123456789abcdef".utf8)
        output.append(contentsOf: "0x".utf8)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
    }
}
