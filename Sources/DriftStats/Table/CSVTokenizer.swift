/// Splits CSV bytes (RFC 4180: quoted fields, `""` escapes, CRLF or LF) into rows, fed chunk by chunk so a file
/// of any size is read with a bounded buffer. Blank lines are skipped, as pandas does.
struct CSVTokenizer {
    /// The current row's field bytes, back to back; `fieldEnds[i]` is where field i ends.
    private(set) var rowBytes: [UInt8] = []
    private(set) var fieldEnds: [Int] = []
    /// The line where the current row started (1-based), for error messages.
    private(set) var rowLine = 1
    private var line = 1
    private var inQuotes = false
    private var quotePending = false
    private var fieldStarted = false
    private var fieldWasQuoted = false

    init() {
        self.rowBytes.reserveCapacity(4096)
        self.fieldEnds.reserveCapacity(64)
    }

    /// Feeds a chunk; calls `row` for every complete row.
    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, row: (inout CSVTokenizer) throws -> Void) throws {
        var index = chunk.startIndex
        let end = chunk.endIndex
        while index < end {
            if self.inQuotes {
                let byte = chunk[index]
                index += 1
                if self.quotePending {
                    self.quotePending = false
                    if byte == UInt8(ascii: "\"") {
                        self.rowBytes.append(byte)
                        continue
                    }
                    self.inQuotes = false
                    index -= 1
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    self.quotePending = true
                } else {
                    if byte == UInt8(ascii: "\n") { self.line += 1 }
                    self.rowBytes.append(byte)
                }
                continue
            }
            // Outside quotes, copy the run of ordinary bytes up to the next delimiter in one append.
            let runStart = index
            while index < end {
                let byte = chunk[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\"") { break }
                index += 1
            }
            if index > runStart {
                self.fieldStarted = true
                self.rowBytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[runStart..<index]))
            }
            guard index < end else { break }
            let byte = chunk[index]
            index += 1
            switch byte {
            case UInt8(ascii: ","):
                self.endField()
            case UInt8(ascii: "\n"):
                try self.endRow(row)
                self.line += 1
                self.rowLine = self.line
            case UInt8(ascii: "\r"):
                break
            default:
                if !self.fieldStarted {
                    self.inQuotes = true
                    self.fieldStarted = true
                    self.fieldWasQuoted = true
                } else {
                    self.rowBytes.append(byte)
                }
            }
        }
    }

    /// Ends the input: the last row may lack its newline; an open quote is an error.
    mutating func finish(source: String, row: (inout CSVTokenizer) throws -> Void) throws {
        if self.inQuotes && !self.quotePending {
            throw TableReadError.unterminatedQuote(source: source, line: self.rowLine)
        }
        self.inQuotes = false
        self.quotePending = false
        try self.endRow(row)
    }

    var fieldCount: Int { self.fieldEnds.count }

    func withField<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let start = index == 0 ? 0 : self.fieldEnds[index - 1]
        let end = self.fieldEnds[index]
        return try self.rowBytes.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    private mutating func endField() {
        self.fieldEnds.append(self.rowBytes.count)
        self.fieldStarted = false
    }

    private mutating func endRow(_ row: (inout CSVTokenizer) throws -> Void) throws {
        let blank = self.fieldEnds.isEmpty && self.rowBytes.isEmpty && !self.fieldWasQuoted
        if !blank {
            self.endField()
            try row(&self)
        }
        self.rowBytes.removeAll(keepingCapacity: true)
        self.fieldEnds.removeAll(keepingCapacity: true)
        self.fieldStarted = false
        self.fieldWasQuoted = false
    }
}
