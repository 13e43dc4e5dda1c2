import DriftStats

/// Splits CSV bytes (RFC 4180: quoted fields, `""` escapes, CRLF or LF) into rows. Blank lines are skipped, as
/// pandas does.
///
/// The caller hands over a buffer whose bytes stay put while the call runs; fields without quotes are not copied
/// but recorded as spans into that buffer, so the common case costs one scan for delimiters (eight bytes at a
/// time) and nothing else. A row with a quote or a stray carriage return is redone by the general state machine,
/// which writes its unescaped fields to a side buffer. Rows are handed over in batches (`CSVRowBatch`) so the
/// reader can fill each column with a tight loop instead of paying a call per field.
struct CSVTokenizer {
    /// Rows per batch: large enough to amortise the hand-over, small enough for the spans to stay in cache.
    static let batchRows = 2048
    /// A batch's spans are 32-bit offsets from its first row; a batch is closed before they could overflow.
    private static let batchByteLimit = 1 << 30

    private var spans: [FieldSpan] = []
    /// For each complete row of the batch, the index in `spans` just past its last field.
    private var rowEnds: [Int] = []
    /// The line where each complete row of the batch started (1-based), for error messages.
    private var rowLines: [Int] = []
    /// Fields of rows that needed unescaping.
    private var unescaped: [UInt8] = []
    /// The line where the next row starts.
    private var line = 1

    init() {
        self.spans.reserveCapacity(1 << 14)
        self.rowEnds.reserveCapacity(Self.batchRows)
        self.rowLines.reserveCapacity(Self.batchRows)
        self.unescaped.reserveCapacity(1 << 12)
    }

    /// Tokenizes the complete rows at the start of `buffer`, calling `rows` for each batch, and returns how many
    /// bytes they took. The rest is the start of a row whose end is not in the buffer yet: pass it again at the
    /// start of the next buffer. With `isLast` the input ends with this buffer: the last row may lack its
    /// newline, and an open quote is an error.
    mutating func tokenize(_ buffer: UnsafeBufferPointer<UInt8>, isLast: Bool, source: String, rows: (CSVRowBatch) throws -> Void) throws -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        let count = buffer.count
        var batchStart = 0
        var rowStart = 0
        var fieldStart = 0
        var firstSpan = 0
        var wordStart = 0
        // Eight bytes at a time, visiting every delimiter of the word in order. Bytes before `fieldStart` are
        // already taken (the LF of a CRLF, or a row the state machine redid).
        scan: while wordStart < count {
            var delimiters = Self.delimiters(in: Self.word(base, at: wordStart, count: count))
            while delimiters != 0 {
                let position = wordStart &+ delimiters.trailingZeroBitCount &>> 3
                delimiters &= delimiters &- 1
                if position < fieldStart { continue }
                let byte = base[position]
                if byte == UInt8(ascii: ",") {
                    self.appendSpan(fieldStart &- batchStart, position &- batchStart)
                    fieldStart = position &+ 1
                    continue
                }
                var next = position &+ 1
                var redone = false
                if byte == UInt8(ascii: "\r") {
                    if next < count, base[next] == UInt8(ascii: "\n") {
                        next &+= 1
                    } else {
                        next = -1
                    }
                } else if byte == UInt8(ascii: "\"") {
                    next = -1
                }
                if next >= 0 {
                    // The end of a line: of a row, or blank (LF or CRLF alone).
                    if position != rowStart {
                        self.appendSpan(fieldStart &- batchStart, position &- batchStart)
                        self.endRow()
                    }
                    self.line += 1
                } else {
                    // A quote, or a carriage return inside the line: redo the row with the general state machine.
                    self.spans.removeSubrange(firstSpan...)
                    guard let end = try self.unescapeRow(base, from: rowStart, count: count, isLast: isLast, source: source) else {
                        break scan
                    }
                    next = end
                    redone = true
                }
                rowStart = next
                fieldStart = next
                if self.rowEnds.count >= Self.batchRows || rowStart &- batchStart >= Self.batchByteLimit {
                    try self.flush(base + batchStart, inputEnd: base + count, rows)
                    batchStart = rowStart
                }
                firstSpan = self.spans.count
                if redone {
                    // Go on from where the state machine stopped, which may be many words on.
                    wordStart = next
                    continue scan
                }
            }
            wordStart &+= 8
        }
        if rowStart < count {
            if isLast {
                // The last row, without a newline.
                self.appendSpan(fieldStart &- batchStart, count &- batchStart)
                self.endRow()
                rowStart = count
            } else {
                // Its end is in the next buffer.
                self.spans.removeSubrange(firstSpan...)
            }
        }
        try self.flush(base + batchStart, inputEnd: base + count, rows)
        return rowStart
    }

    /// The first `,`, `\n`, `\r` or `"` from `start`, or `end`.
    @inline(__always)
    static func nextDelimiter(from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        let base = UnsafePointer<UInt8>(start)
        let count = start.distance(to: end)
        var wordStart = 0
        while wordStart < count {
            let found = Self.delimiters(in: Self.word(base, at: wordStart, count: count))
            if found != 0 { return base + (wordStart &+ found.trailingZeroBitCount &>> 3) }
            wordStart &+= 8
        }
        return end
    }

    /// Eight bytes from `start`, little-endian; past the end of the buffer, zero bytes (never a delimiter).
    @inline(__always)
    private static func word(_ base: UnsafePointer<UInt8>, at start: Int, count: Int) -> UInt64 {
        if start &+ 8 <= count {
            return UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: start, as: UInt64.self))
        }
        var word: UInt64 = 0
        for index in start..<count { word |= UInt64(base[index]) << UInt64((index &- start) &* 8) }
        return word
    }

    /// The high bit of each byte of `word` that is `,`, `\n`, `\r` or `"`. For each candidate, ((x & 0x7f) + 0x7f) | x
    /// has its high bit set exactly when x is not zero; a byte matches when one of the four is zero.
    @inline(__always)
    private static func delimiters(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7f7f_7f7f_7f7f_7f7f
        @inline(__always) func nonZero(_ x: UInt64) -> UInt64 { ((x & low7) &+ low7) | x }
        let all = nonZero(word ^ (ones &* 0x2C)) & nonZero(word ^ (ones &* 0x0A)) & nonZero(word ^ (ones &* 0x0D)) & nonZero(word ^ (ones &* 0x22))
        return ~(all | low7)
    }

    /// The general state machine for one row starting at `start`: fields go to `unescaped`. Returns where the next
    /// row starts, or nil when the row does not end within the buffer (and more input follows).
    private mutating func unescapeRow(_ base: UnsafePointer<UInt8>, from start: Int, count: Int, isLast: Bool, source: String) throws -> Int? {
        let firstSpan = self.spans.count
        let firstByte = self.unescaped.count
        var fieldStart = firstByte
        var inQuotes = false
        var quotePending = false
        var fieldStarted = false
        var fieldWasQuoted = false
        var newlinesInQuotes = 0
        var index = start
        func finishRow() {
            let blank = self.spans.count == firstSpan && self.unescaped.count == firstByte && !fieldWasQuoted
            if !blank {
                self.spans.append(FieldSpan(unescapedFrom: fieldStart, to: self.unescaped.count))
                self.endRow()
            }
            self.line += newlinesInQuotes
        }
        while index < count {
            let byte = base[index]
            index += 1
            if inQuotes {
                if quotePending {
                    quotePending = false
                    if byte == UInt8(ascii: "\"") {
                        self.unescaped.append(byte)
                        continue
                    }
                    inQuotes = false
                    index -= 1
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    quotePending = true
                } else {
                    if byte == UInt8(ascii: "\n") { newlinesInQuotes += 1 }
                    self.unescaped.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                self.spans.append(FieldSpan(unescapedFrom: fieldStart, to: self.unescaped.count))
                fieldStart = self.unescaped.count
                fieldStarted = false
            case UInt8(ascii: "\n"):
                finishRow()
                self.line += 1
                return index
            case UInt8(ascii: "\r"):
                // Outside quotes a carriage return is dropped wherever it is.
                break
            case UInt8(ascii: "\""):
                if !fieldStarted {
                    inQuotes = true
                    fieldStarted = true
                    fieldWasQuoted = true
                } else {
                    self.unescaped.append(byte)
                }
            default:
                fieldStarted = true
                self.unescaped.append(byte)
            }
        }
        guard isLast else {
            self.spans.removeSubrange(firstSpan...)
            self.unescaped.removeSubrange(firstByte...)
            return nil
        }
        if inQuotes && !quotePending {
            throw TableReadError.unterminatedQuote(source: source, line: self.line)
        }
        finishRow()
        return count
    }

    /// Counts rows of one line each that were read without the tokenizer.
    mutating func skipLines(_ count: Int) {
        self.line += count
    }

    @inline(__always)
    private mutating func appendSpan(_ start: Int, _ end: Int) {
        self.spans.append(FieldSpan(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end)))
    }

    private mutating func endRow() {
        self.rowEnds.append(self.spans.count)
        self.rowLines.append(self.line)
    }

    private mutating func flush(_ batchBase: UnsafePointer<UInt8>, inputEnd: UnsafePointer<UInt8>, _ rows: (CSVRowBatch) throws -> Void) throws {
        guard !self.rowEnds.isEmpty else { return }
        try self.unescaped.withUnsafeBufferPointer { unescaped in
            try self.spans.withUnsafeBufferPointer { spans in
                try self.rowEnds.withUnsafeBufferPointer { rowEnds in
                    try self.rowLines.withUnsafeBufferPointer { lines in
                        try rows(
                            CSVRowBatch(
                                bytes: batchBase, inputEnd: inputEnd, unescaped: unescaped.baseAddress, spans: spans, rowEnds: rowEnds, lines: lines))
                    }
                }
            }
        }
        self.spans.removeAll(keepingCapacity: true)
        self.rowEnds.removeAll(keepingCapacity: true)
        self.rowLines.removeAll(keepingCapacity: true)
        self.unescaped.removeAll(keepingCapacity: true)
    }
}

/// Where a field's bytes are: offsets from the batch's first row into the input, or, when negative (bitwise
/// complements), offsets into the batch's unescaped bytes.
struct FieldSpan {
    var start: Int32
    var end: Int32

    init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }

    init(unescapedFrom start: Int, to end: Int) {
        self.start = ~Int32(truncatingIfNeeded: start)
        self.end = ~Int32(truncatingIfNeeded: end)
    }
}

/// Complete rows of a CSV, valid only during the call that receives them.
struct CSVRowBatch {
    let bytes: UnsafePointer<UInt8>
    /// The end of the input buffer the spans point into.
    let inputEnd: UnsafePointer<UInt8>
    let unescaped: UnsafePointer<UInt8>?
    let spans: UnsafeBufferPointer<FieldSpan>
    let rowEnds: UnsafeBufferPointer<Int>
    let lines: UnsafeBufferPointer<Int>

    var rowCount: Int { self.rowEnds.count }

    func fieldCount(row: Int) -> Int {
        self.rowEnds[row] - (row == 0 ? 0 : self.rowEnds[row - 1])
    }

    func line(row: Int) -> Int { self.lines[row] }

    /// Field `index` of `row`; the caller has checked the row has that many fields.
    @inline(__always)
    func field(row: Int, _ index: Int) -> UnsafeBufferPointer<UInt8> {
        self.field(span: (row == 0 ? 0 : self.rowEnds[row - 1]) + index)
    }

    /// Where readable memory ends after `field`, for parsers that read whole words: the end of the input for
    /// fields in it (whose next byte is a delimiter), nil for unescaped fields.
    @inline(__always)
    func readableEnd(of field: UnsafeBufferPointer<UInt8>) -> UnsafePointer<UInt8>? {
        guard let start = field.baseAddress, start >= self.bytes, start < self.inputEnd else { return nil }
        return self.inputEnd
    }

    /// The field of span `index`; rows of `n` fields each put field `i` of row `r` at span `r * n + i`.
    @inline(__always)
    func field(span index: Int) -> UnsafeBufferPointer<UInt8> {
        let span = self.spans[index]
        if span.start >= 0 {
            return UnsafeBufferPointer(start: self.bytes + Int(span.start), count: Int(span.end &- span.start))
        }
        return UnsafeBufferPointer(start: self.unescaped! + Int(~span.start), count: Int(span.start &- span.end))
    }
}
