/// Splits CSV bytes (RFC 4180: quoted fields, `""` escapes, CRLF or LF) into rows, fed chunk by chunk so a file
/// of any size is read with a bounded buffer. Blank lines are skipped, as pandas does.
///
/// Rows are handed over in batches (`CSVRowBatch`) rather than one by one, so the reader can fill each column
/// with a tight loop over the batch instead of paying a call and an exclusivity check per field.
struct CSVTokenizer {
    /// Rows per batch: large enough to amortise the hand-over, small enough to stay in cache.
    static let batchRows = 2048

    /// The batch's field bytes, back to back; `fieldEnds[i]` is where field i ends.
    private var rowBytes: [UInt8] = []
    private var fieldEnds: [Int] = []
    /// For each complete row of the batch, the index in `fieldEnds` just past its last field.
    private var rowEnds: [Int] = []
    /// The line where each complete row of the batch started (1-based), for error messages.
    private var rowLines: [Int] = []
    private var rowLine = 1
    private var line = 1
    private var inQuotes = false
    private var quotePending = false
    private var fieldStarted = false
    private var fieldWasQuoted = false

    init() {
        self.rowBytes.reserveCapacity(1 << 16)
        self.fieldEnds.reserveCapacity(1 << 12)
        self.rowEnds.reserveCapacity(Self.batchRows)
        self.rowLines.reserveCapacity(Self.batchRows)
    }

    /// Feeds a chunk; calls `rows` for every full batch of complete rows.
    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, rows: (CSVRowBatch) throws -> Void) throws {
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
                self.endRow()
                if self.rowEnds.count >= Self.batchRows { try self.flush(rows) }
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

    /// Ends the input: the last row may lack its newline; an open quote is an error. Hands over the last batch.
    mutating func finish(source: String, rows: (CSVRowBatch) throws -> Void) throws {
        if self.inQuotes && !self.quotePending {
            throw TableReadError.unterminatedQuote(source: source, line: self.rowLine)
        }
        self.inQuotes = false
        self.quotePending = false
        self.endRow()
        try self.flush(rows)
    }

    private mutating func endField() {
        self.fieldEnds.append(self.rowBytes.count)
        self.fieldStarted = false
    }

    private mutating func endRow() {
        let rowStartField = self.rowEnds.last ?? 0
        let rowStartByte = rowStartField == 0 ? 0 : self.fieldEnds[rowStartField - 1]
        let blank = self.fieldEnds.count == rowStartField && self.rowBytes.count == rowStartByte && !self.fieldWasQuoted
        if !blank {
            self.endField()
            self.rowEnds.append(self.fieldEnds.count)
            self.rowLines.append(self.rowLine)
        }
        self.fieldStarted = false
        self.fieldWasQuoted = false
    }

    private mutating func flush(_ rows: (CSVRowBatch) throws -> Void) throws {
        guard !self.rowEnds.isEmpty else { return }
        try self.rowBytes.withUnsafeBufferPointer { bytes in
            try self.fieldEnds.withUnsafeBufferPointer { fieldEnds in
                try self.rowEnds.withUnsafeBufferPointer { rowEnds in
                    try self.rowLines.withUnsafeBufferPointer { lines in
                        try rows(CSVRowBatch(bytes: bytes, fieldEnds: fieldEnds, rowEnds: rowEnds, lines: lines))
                    }
                }
            }
        }
        self.rowBytes.removeAll(keepingCapacity: true)
        self.fieldEnds.removeAll(keepingCapacity: true)
        self.rowEnds.removeAll(keepingCapacity: true)
        self.rowLines.removeAll(keepingCapacity: true)
    }
}

/// Complete rows of a CSV, valid only during the call that receives them.
struct CSVRowBatch {
    let bytes: UnsafeBufferPointer<UInt8>
    let fieldEnds: UnsafeBufferPointer<Int>
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
        let fieldIndex = (row == 0 ? 0 : self.rowEnds[row - 1]) + index
        let start = fieldIndex == 0 ? 0 : self.fieldEnds[fieldIndex - 1]
        return UnsafeBufferPointer(rebasing: self.bytes[start..<self.fieldEnds[fieldIndex]])
    }
}
