import DriftStats
import Foundation

/// Accumulates one column while the file streams by, deciding its storage type the way pandas `read_csv` would:
/// integers stay `integer` until a fraction or a missing value makes them `float`; the first value that is not a
/// number makes the column text. A column that is text from its first value is read as strings from there; one
/// that turns out to be text later is re-read as strings in a second pass (keeping every numeric column's text
/// just in case would cost far more than rereading the rare column that turns out to be text late).
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
    private var interner = FieldInterner()
    private var codes: [Int32] = []
    /// The value that ended a numeric column, when one did; kept through the second pass for the report.
    private(set) var firstNonNumber: (line: Int, text: String, numbersBefore: Int)?

    init(name: String, forced: ForcedColumnType?, forceStrings: Bool = false) {
        self.name = name
        self.forced = forced
        self.mode = forceStrings || forced == .categorical ? .strings : .numbers
    }

    /// A builder that collects this column again as strings, remembering why.
    func rereadingAsStrings() -> ColumnBuilder {
        var builder = ColumnBuilder(name: self.name, forced: self.forced, forceStrings: true)
        builder.firstNonNumber = self.firstNonNumber
        return builder
    }

    /// The warning for a column one value made text.
    func typingWarning(source: String) -> ColumnTypingWarning? {
        self.firstNonNumber.map {
            ColumnTypingWarning(column: self.name, source: source, line: $0.line, value: $0.text, numbersBefore: $0.numbersBefore)
        }
    }

    /// Appends field `field` of each of `rows` in the batch, whose rows all have `stride` fields.
    mutating func append(field: Int, stride: Int, of batch: CSVRowBatch, rows: Range<Int>, source: String) throws {
        switch self.mode {
        case .rereadAsStrings:
            return
        case .numbers:
            var sawFraction = false
            defer { if sawFraction { self.sawFraction = true } }
            for row in rows {
                let text = batch.field(span: row &* stride &+ field)
                // Plain decimals, nearly every field of a numeric column, take the fast path; the rest (missing
                // markers, long mantissas, infinities, text) the general one.
                if let (value, isInteger) = NumberParser.fastPath(text, readableUpTo: batch.readableEnd(of: text)) {
                    if !isInteger { sawFraction = true }
                    self.numbers.append(value)
                    continue
                }
                try self.append(text, source: source, line: batch.line(row: row))
                if self.mode != .numbers {
                    // The column turned out to be text; what is left of the batch goes the new way.
                    try self.append(field: field, stride: stride, of: batch, rows: row + 1..<rows.upperBound, source: source)
                    return
                }
            }
        case .strings:
            for row in rows {
                try self.append(batch.field(span: row &* stride &+ field), source: source, line: batch.line(row: row))
            }
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
            } else if self.numbers.isEmpty {
                // Text from the first value on: read as strings from here, which is what a second pass would
                // give, without one.
                self.mode = .strings
                try self.append(field, source: source, line: line)
            } else {
                self.firstNonNumber = (line, String(decoding: field.prefix(60), as: UTF8.self), self.numbers.count)
                self.mode = .rereadAsStrings
                self.numbers = []
            }
        case .strings:
            let code = self.code(for: field)
            if code < 0 { self.sawMissing = true }
            self.codes.append(code)
        case .rereadAsStrings:
            break
        }
    }

    /// The level code of a text field, -1 for a missing marker. Whether a field is missing, and its level, depend
    /// only on its bytes: both are worked out once per distinct field.
    @inline(__always)
    mutating func code(for field: UnsafeBufferPointer<UInt8>, readableUpTo limit: UnsafePointer<UInt8>? = nil) -> Int32 {
        self.interner.code(for: field, readableUpTo: limit) { field in
            if MissingValueTokens.isMissing(field) { return -1 }
            // Distinct bytes can repair to the same String (invalid UTF-8); the String decides the level.
            let text = String(decoding: field, as: UTF8.self)
            if let code = self.levelIndex[text] { return code }
            let code = Int32(self.levels.count)
            self.levels.append(text)
            self.levelIndex[text] = code
            return code
        }
    }

    mutating func reserveCapacity(_ rows: Int) {
        switch self.mode {
        case .numbers: self.numbers.reserveCapacity(rows)
        case .strings: self.codes.reserveCapacity(rows)
        case .rereadAsStrings: break
        }
    }

    /// Appends numbers parsed by the row parser (plain decimals, no missing values).
    mutating func append(parsed values: UnsafeBufferPointer<Double>, sawFraction: Bool) {
        self.numbers.append(contentsOf: values)
        if sawFraction { self.sawFraction = true }
    }

    /// Appends level codes found by the row parser.
    mutating func append(parsed codes: UnsafeBufferPointer<Int32>) {
        self.codes.append(contentsOf: codes)
        if codes.contains(-1) { self.sawMissing = true }
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
        if let fast = Self.fastPath(UnsafeBufferPointer(rebasing: raw[start..<end])) { return fast }
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

    /// The fast path: up to 19 significant digits in any exponent. When the digits make an integer of at most
    /// 2^53 and the decimal exponent is within ±22, Clinger's one exact multiplication or division by an exact
    /// power of ten gives the correctly rounded double; otherwise Eisel-Lemire's 128-bit product does, as strtod
    /// would. Anything else (more than 19 digits, spaces, markers, malformed text) returns nil for the general path. Integer literals of up to 18 digits are reported as such, so the column can stay
    /// `integer` as pandas keeps it.
    ///
    /// `limit`, when given, is the end of readable memory after the field (whose next byte is not a digit): runs of
    /// digits are then read eight bytes at a time.
    @inline(__always)
    static func fastPath(_ text: UnsafeBufferPointer<UInt8>, readableUpTo limit: UnsafePointer<UInt8>? = nil) -> (Double, isInteger: Bool)? {
        guard let start = text.baseAddress, !text.isEmpty else { return nil }
        let end = start + text.count
        guard let (value, isInteger, stop) = Self.parsePrefix(start, end: end, readableUpTo: limit), stop == end else { return nil }
        return (value, isInteger)
    }

    /// The fast path on the number at the start of `start..<end`: its value, and where it stops (the first byte
    /// that cannot continue it). A caller that needs the whole field checks that it stops at the field's end.
    @inline(__always)
    static func parsePrefix(_ start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, readableUpTo limit: UnsafePointer<UInt8>?) -> (
        Double, isInteger: Bool, stop: UnsafePointer<UInt8>
    )? {
        guard start < end else { return nil }
        var cursor = start
        let negative = cursor.pointee == UInt8(ascii: "-")
        if negative || cursor.pointee == UInt8(ascii: "+") { cursor += 1 }
        if let limit, limit - cursor >= 17, let (value, isInteger, stop) = Self.shortDecimal(cursor), stop <= end {
            return (negative ? -value : value, isInteger, stop)
        }
        var mantissa: UInt64 = 0
        var digits = Self.digitRun(&cursor, end: end, limit: limit, into: &mantissa)
        var exponent = 0
        var isInteger = true
        if cursor < end, cursor.pointee == UInt8(ascii: ".") {
            isInteger = false
            cursor += 1
            let fractionDigits = Self.digitRun(&cursor, end: end, limit: limit, into: &mantissa)
            exponent = -fractionDigits
            digits += fractionDigits
        }
        // 19 digits cannot overflow 64 bits.
        guard digits > 0, digits <= 19 else { return nil }
        if cursor < end, cursor.pointee | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            cursor += 1
            guard cursor < end else { return nil }
            let exponentNegative = cursor.pointee == UInt8(ascii: "-")
            if exponentNegative || cursor.pointee == UInt8(ascii: "+") { cursor += 1 }
            let exponentStart = cursor
            var written = 0
            while cursor < end {
                let digit = cursor.pointee &- UInt8(ascii: "0")
                guard digit <= 9 else { break }
                guard written < 1000 else { return nil }
                written = written * 10 + Int(digit)
                cursor += 1
            }
            guard cursor > exponentStart else { return nil }
            exponent += exponentNegative ? -written : written
        }
        let value: Double
        if mantissa == 0 {
            value = negative ? -0.0 : 0.0
        } else if mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            // Clinger: one exact operation on exact operands.
            let exact = Double(mantissa)
            let magnitude = exponent >= 0 ? exact * Self.powersOfTen[exponent] : exact / Self.powersOfTen[-exponent]
            value = negative ? -magnitude : magnitude
        } else {
            // Full-precision values (17 significant digits, as pandas and numpy write float64) and large exponents.
            guard let exact = EiselLemire.double(mantissa: mantissa, exponent: exponent, negative: negative) else { return nil }
            value = exact
        }
        return (value, isInteger && digits <= 18, cursor)
    }

    /// The usual number, `digits[.digits]` with fewer than eight digits on each side and no exponent, from one
    /// word per side and without the general path's bounds and length checks (a fifth less time per number). Needs
    /// 17 readable bytes from `cursor`; nil for anything else, which the general path then reads.
    @inline(__always)
    private static func shortDecimal(_ cursor: UnsafePointer<UInt8>) -> (Double, isInteger: Bool, stop: UnsafePointer<UInt8>)? {
        let (integerDigits, integerValue) = Self.shortDigitRun(cursor)
        guard integerDigits < 8 else { return nil }
        var stop = cursor + integerDigits
        var mantissa = integerValue
        var fractionDigits = 0
        let hasDot = stop.pointee == UInt8(ascii: ".")
        if hasDot {
            let (count, value) = Self.shortDigitRun(stop + 1)
            guard count < 8 else { return nil }
            mantissa = mantissa &* Self.integerPowerOfTen(count) &+ value
            fractionDigits = count
            stop += 1 &+ count
        }
        guard integerDigits &+ fractionDigits > 0, stop.pointee | 0x20 != UInt8(ascii: "e") else { return nil }
        // At most 14 digits: exact in a double, and 10^fractionDigits too, so one division rounds correctly.
        return (Double(mantissa) / Self.powersOfTen[fractionDigits], !hasDot, stop)
    }

    /// How many digits (0...8) the eight bytes at `pointer` start with, and their value.
    @inline(__always)
    private static func shortDigitRun(_ pointer: UnsafePointer<UInt8>) -> (count: Int, value: UInt64) {
        let word = UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
        let digits = word ^ 0x3030_3030_3030_3030
        // A byte is a digit when it is at most 9 after the XOR: adding 0x76 sets its high bit otherwise, and no
        // byte below 0x8A carries into the next.
        let nonDigits = ((digits &+ 0x7676_7676_7676_7676) | digits) & 0x8080_8080_8080_8080
        let count = nonDigits.trailingZeroBitCount &>> 3
        // Shifting by 64 bits would shift by nothing in Swift's masking shift.
        let aligned = count == 0 ? 0 : digits &<< UInt64((8 &- count) &* 8)
        return (count, Self.eightDigits(aligned))
    }

    /// The eight-digit conversion of simdjson and fast_float, on digit values (0...9) in the top bytes of a word.
    @inline(__always)
    private static func eightDigits(_ word: UInt64) -> UInt64 {
        let value = word &* 10 &+ (word &>> 8)
        return ((value & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064 &+ ((value &>> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001) &>> 32
    }

    /// Reads the digits from `cursor` (up to `end`) into `mantissa`, returning how many there were. With more than
    /// 19 the mantissa is garbage, which the caller rejects by the count.
    @inline(__always)
    private static func digitRun(
        _ cursor: inout UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>?, into mantissa: inout UInt64
    ) -> Int {
        let start = cursor
        // Eight digits at a time while they last: a full-precision fraction has 16 or 17. More than 19 digits wrap
        // the mantissa, and the caller refuses those by their count.
        while let limit, limit - cursor >= 8 {
            // SWAR: find the first non-digit byte, then convert the digits before it with three multiplications
            // (the eight-digit conversion of simdjson and fast_float, on the digits shifted to the top bytes).
            let word = UInt64(littleEndian: UnsafeRawPointer(cursor).loadUnaligned(as: UInt64.self))
            let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0, zeros: UInt64 = 0x3030_3030_3030_3030
            let nonDigits = ((word & high) ^ zeros) | (((word &+ 0x0606_0606_0606_0606) & high) ^ zeros)
            let count = min(nonDigits == 0 ? 8 : nonDigits.trailingZeroBitCount &>> 3, end - cursor)
            if count > 0 {
                let value = Self.eightDigits((word &- zeros) << UInt64((8 &- count) &* 8))
                mantissa = mantissa &* Self.integerPowerOfTen(count) &+ value
                cursor += count
            }
            if count < 8 { return cursor - start }
        }
        while cursor < end {
            let digit = cursor.pointee &- UInt8(ascii: "0")
            guard digit <= 9 else { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            cursor += 1
        }
        return cursor - start
    }

    /// 10^0 ... 10^22, all exact in a double. A literal array is laid out at compile time, so reading it needs no
    /// lazy initialisation (and a table, unlike a switch, no indirect jump).
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    private static func integerPowerOfTen(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1000
        case 4: 10000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        default: 100_000_000
        }
    }

    private static func parseInfinity(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        switch String(decoding: field, as: UTF8.self).lowercased() {
        case "inf", "+inf", "infinity", "+infinity": .infinity
        case "-inf", "-infinity": -.infinity
        default: nil
        }
    }
}
