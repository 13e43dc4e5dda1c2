import Foundation

/// Accumulates one column while the file streams by, deciding its storage type the way pandas `read_csv` would:
/// integers stay `integer` until a fraction or a missing value makes them `float`; the first value that is not a
/// number makes the column text, which is then re-read as strings in a second pass (keeping every numeric column's
/// text just in case would cost far more than rereading the rare column that turns out to be text).
struct ColumnBuilder {
    enum Mode {
        case numbers
        case strings
        /// Turned out not to be numeric; collected again as strings in a second pass.
        case rereadAsStrings
    }

    let name: String
    let forced: ForcedColumnType?
    private(set) var mode: Mode
    private var numbers: [Double] = []
    private var sawMissing = false
    private var sawFraction = false
    private var levels: [String] = []
    private var levelIndex: [String: Int32] = [:]
    private var codes: [Int32] = []

    init(name: String, forced: ForcedColumnType?, forceStrings: Bool = false) {
        self.name = name
        self.forced = forced
        self.mode = forceStrings || forced == .categorical ? .strings : .numbers
    }

    /// Appends field `field` of each of `rows` in the batch.
    mutating func append(field: Int, of batch: CSVRowBatch, rows: Range<Int>, source: String) throws {
        if case .rereadAsStrings = self.mode { return }
        for row in rows {
            try self.append(batch.field(row: row, field), source: source, line: batch.line(row: row))
        }
    }

    mutating func append(_ field: UnsafeBufferPointer<UInt8>, source: String, line: Int) throws {
        switch self.mode {
        case .numbers:
            if MissingValueTokens.isMissing(field) {
                self.sawMissing = true
                self.numbers.append(.nan)
            } else if let (value, isInteger) = NumberParser.parse(field) {
                if !isInteger { self.sawFraction = true }
                self.numbers.append(value)
            } else if self.forced == .numerical {
                throw TableReadError.unparsableNumber(
                    source: source, line: line, column: self.name, text: String(decoding: field.prefix(60), as: UTF8.self))
            } else {
                self.mode = .rereadAsStrings
                self.numbers = []
            }
        case .strings:
            if MissingValueTokens.isMissing(field) {
                self.sawMissing = true
                self.codes.append(-1)
                return
            }
            let text = String(decoding: field, as: UTF8.self)
            if let code = self.levelIndex[text] {
                self.codes.append(code)
            } else {
                let code = Int32(self.levels.count)
                self.levels.append(text)
                self.levelIndex[text] = code
                self.codes.append(code)
            }
        case .rereadAsStrings:
            break
        }
    }

    func build() -> TableColumn {
        switch self.mode {
        case .numbers:
            let storage: StorageType = self.sawMissing || self.sawFraction ? .float : .integer
            return TableColumn(name: self.name, storage: storage, values: .numbers(self.numbers))
        case .strings, .rereadAsStrings:
            if !self.sawMissing, !self.levels.isEmpty, let canonical = Self.booleanLevels(self.levels) {
                return TableColumn(name: self.name, storage: .boolean, values: .codes(self.codes, levels: canonical))
            }
            return TableColumn(name: self.name, storage: .string, values: .codes(self.codes, levels: self.levels))
        }
    }

    /// pandas reads a column of only True/False literals as `bool`; spellings are unified so both files agree.
    private static func booleanLevels(_ levels: [String]) -> [String]? {
        var canonical: [String] = []
        for level in levels {
            switch level {
            case "True", "true", "TRUE": canonical.append("True")
            case "False", "false", "FALSE": canonical.append("False")
            default: return nil
            }
        }
        return canonical
    }
}

/// pandas' default `na_values`: fields read as missing.
enum MissingValueTokens {
    static let tokens: Set<String> = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
        "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    static func isMissing(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = field.first else { return true }
        // Only tokens starting like these can be missing markers; numbers skip the set lookup.
        switch first {
        case UInt8(ascii: "#"), UInt8(ascii: "<"), UInt8(ascii: "N"), UInt8(ascii: "n"):
            break
        case UInt8(ascii: "-"), UInt8(ascii: "1"):
            guard field.count >= 4, field.contains(UInt8(ascii: "#")) || field[1] == UInt8(ascii: "N") || field[1] == UInt8(ascii: "n") else {
                return false
            }
        default:
            return false
        }
        return self.tokens.contains(String(decoding: field, as: UTF8.self))
    }
}

/// Parses a CSV number as pandas' C parser accepts it: decimal notation with optional sign, fraction and
/// exponent, or an infinity; surrounding spaces allowed.
enum NumberParser {
    static func parse(_ raw: UnsafeBufferPointer<UInt8>) -> (Double, isInteger: Bool)? {
        var start = raw.startIndex
        var end = raw.endIndex
        while start < end, raw[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, raw[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard start < end, end - start < 64 else { return nil }
        if let fast = Self.fastPath(raw, start, end) { return fast }
        var isInteger = true
        var digits = 0
        for index in start..<end {
            let byte = raw[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if index != start { isInteger = false }
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                isInteger = false
            default:
                return Self.parseInfinity(UnsafeBufferPointer(rebasing: raw[start..<end])).map { ($0, false) }
            }
        }
        guard digits > 0 else { return nil }
        // strtod wants a NUL-terminated string; a stack copy avoids allocating.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 65) { buffer -> (Double, Bool)? in
            var count = 0
            for index in start..<end {
                buffer[count] = CChar(bitPattern: raw[index])
                count += 1
            }
            buffer[count] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &stop)
            guard let stop, stop == buffer.baseAddress! + count else { return nil }
            return (value, isInteger && digits <= 18)
        }
    }

    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Clinger's fast path: with at most 15 significant digits and a decimal exponent within ±22, one exact
    /// multiplication or division by an exact power of ten gives the correctly rounded double, as strtod would.
    /// Anything else (long mantissas, big exponents, malformed text) falls back to strtod. Integer literals of up
    /// to 18 digits are reported as such, so the column can stay `integer` as pandas keeps it.
    static func fastPath(_ raw: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Double, isInteger: Bool)? {
        var index = start
        var negative = false
        if raw[index] == UInt8(ascii: "-") || raw[index] == UInt8(ascii: "+") {
            negative = raw[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var sawDigit = false
        var inFraction = false
        var digits = 0
        var sawExponent = false
        while index < end {
            let byte = raw[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
                digits += 1
                if mantissa == 0 && byte == UInt8(ascii: "0") {
                    if inFraction { exponent -= 1 }
                } else {
                    significant += 1
                    guard significant <= 15 else { return nil }
                    mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                    if inFraction { exponent -= 1 }
                }
            } else if byte == UInt8(ascii: ".") && !inFraction {
                inFraction = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                index += 1
                sawExponent = true
                guard sawDigit, index < end else { return nil }
                var exponentNegative = false
                if raw[index] == UInt8(ascii: "-") || raw[index] == UInt8(ascii: "+") {
                    exponentNegative = raw[index] == UInt8(ascii: "-")
                    index += 1
                }
                guard index < end else { return nil }
                var written = 0
                while index < end {
                    let digit = raw[index]
                    guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9"), written < 1000 else { return nil }
                    written = written * 10 + Int(digit - UInt8(ascii: "0"))
                    index += 1
                }
                exponent += exponentNegative ? -written : written
                break
            } else {
                return nil
            }
            index += 1
        }
        guard sawDigit else { return nil }
        var value = Double(mantissa)
        if mantissa != 0 {
            guard abs(exponent) <= 22 else { return nil }
            value = exponent >= 0 ? value * Self.powersOfTen[exponent] : value / Self.powersOfTen[-exponent]
        }
        return (negative ? -value : value, !inFraction && !sawExponent && digits <= 18)
    }

    private static func parseInfinity(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        switch String(decoding: field, as: UTF8.self).lowercased() {
        case "inf", "+inf", "infinity", "+infinity": .infinity
        case "-inf", "-infinity": -.infinity
        default: nil
        }
    }
}
