import DriftStats
import Foundation

/// Reads the columns a drift check needs from a CSV file (header row, RFC 4180 quoting, pandas' missing-value
/// markers), streaming it in chunks so memory grows with the columns kept, not the file.
package struct CSVTableReader: Sendable {
    /// Columns to keep; nil keeps every column.
    package var columns: [String]?
    package var schema: ColumnSchema
    /// Small enough that a chunk is parsed while the second-level cache still holds it, and that the read buffer
    /// costs few page faults (each costs microseconds in a virtual machine); the buffer grows for longer rows.
    static let chunkSize = 256 << 10

    package init(columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()) {
        self.columns = columns
        self.schema = schema
    }

    package func read(path: String) throws -> DataTable {
        var status = stat()
        let size = stat(path, &status) == 0 ? Int(status.st_size) : nil
        return try self.read(source: path, expectedBytes: size) { consume in try Self.streamFile(path, consume) }
    }

    package func read(data: Data, source: String) throws -> DataTable {
        try self.read(source: source, expectedBytes: data.count) { consume in
            try data.withUnsafeBytes { raw in _ = try consume(raw.bindMemory(to: UInt8.self), true) }
        }
    }

    /// Feeds the input to `consume` as buffers that each start with the bytes the previous call did not take
    /// (an incomplete last row); `isLast` marks the final one.
    typealias Stream = (_ consume: (_ buffer: UnsafeBufferPointer<UInt8>, _ isLast: Bool) throws -> Int) throws -> Void

    private func read(source: String, expectedBytes: Int?, stream: Stream) throws -> DataTable {
        let firstPass = Pass(reader: self, source: source, rereading: nil, expectedBytes: expectedBytes)
        try firstPass.run(stream)
        var builders = firstPass.builders
        guard firstPass.header != nil else {
            throw TableReadError.empty(source: source)
        }
        let reread = Set(builders.indices.filter { builders[$0].mode == .rereadAsStrings })
        if !reread.isEmpty {
            let secondPass = Pass(reader: self, source: source, rereading: reread, expectedBytes: expectedBytes)
            secondPass.builders = builders.enumerated().map { index, builder in
                reread.contains(index) ? builder.rereadingAsStrings() : builder
            }
            try secondPass.run(stream)
            builders = secondPass.builders
        }
        return DataTable(
            columns: builders.map { $0.build() }, rowCount: firstPass.rowCount, warnings: builders.compactMap { $0.typingWarning(source: source) })
    }

    /// One pass over the file; the second pass feeds only the columns being reread.
    private final class Pass {
        let reader: CSVTableReader
        let source: String
        let rereading: Set<Int>?
        var header: [String]?
        var builders: [ColumnBuilder] = []
        /// For each kept builder, its field index in the file.
        var fieldIndices: [Int] = []
        var rowCount = 0

        /// The size of the input, when known, to size the columns once from the first rows.
        let expectedBytes: Int?
        private var reservedColumns = false

        init(reader: CSVTableReader, source: String, rereading: Set<Int>?, expectedBytes: Int?) {
            self.reader = reader
            self.source = source
            self.rereading = rereading
            self.expectedBytes = expectedBytes
        }

        func run(_ stream: Stream) throws {
            var tokenizer = CSVTokenizer()
            try stream { buffer, isLast in
                guard let base = buffer.baseAddress else {
                    return try tokenizer.tokenize(buffer, isLast: isLast, source: self.source) { batch in try self.rows(batch) }
                }
                // Plain rows go through the row parser; any other row (the header, a quoted or missing field, a
                // number the fast path declines, a ragged row) alone through the tokenizer and the builders'
                // general path, then back to the row parser.
                var taken = 0
                while true {
                    if self.header != nil {
                        taken = self.parseRows(buffer, from: taken, tokenizer: &tokenizer)
                    }
                    guard taken < buffer.count else { return taken }
                    let rest = UnsafeBufferPointer(rebasing: buffer[taken...])
                    let rowStart = base + taken
                    guard let newline = memchr(rowStart, Int32(UInt8(ascii: "\n")), rest.count).map({ $0.assumingMemoryBound(to: UInt8.self) }),
                        memchr(rowStart, Int32(UInt8(ascii: "\"")), rowStart.distance(to: newline)) == nil
                    else {
                        // A quote may hide a newline, and a row without one may be cut: the tokenizer takes the rest.
                        return taken + (try tokenizer.tokenize(rest, isLast: isLast, source: self.source) { batch in try self.rows(batch) })
                    }
                    let row = UnsafeBufferPointer(start: rowStart, count: rowStart.distance(to: newline) + 1)
                    taken += try tokenizer.tokenize(row, isLast: false, source: self.source) { batch in try self.rows(batch) }
                }
            }
        }

        /// Rows staged per column before they are appended: few enough that the staging of a wide table stays in
        /// the first-level cache, enough that appending costs little per row.
        static let stagedRows = 256

        /// Rows parsed straight from the input by `parseRows`, column by column (`stagedRows` slots per
        /// column), before they are appended to the builders.
        private var stagedNumbers: [Double] = []
        private var stagedCodes: [Int32] = []
        private var stagedFractions: [Bool] = []
        /// For each field of the header, the builder it feeds, or -1.
        private var builderOfField: [Int] = []

        /// The row parser: takes rows of plain fields (numbers the fast path reads in numeric columns, unquoted
        /// text in text columns) from `start`, without the tokenizer, and returns where it stopped: at the end of
        /// the buffer, or at the start of a row it leaves to the general path.
        ///
        /// A row it gives up on halfway is parsed again by the general path, which reaches the same values for the
        /// fields before (a fraction seen, a level interned) and decides the rest.
        private func parseRows(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, tokenizer: inout CSVTokenizer) -> Int {
            guard let header = self.header, let base = buffer.baseAddress else { return start }
            enum Kind { case number, text, skipped }
            var builders: [ColumnBuilder] = []
            swap(&builders, &self.builders)
            defer { swap(&builders, &self.builders) }
            let rereading = self.rereading
            let kinds: [Kind] = self.builderOfField.map { index in
                // The second pass feeds only the columns it rereads.
                guard index >= 0, rereading?.contains(index) ?? true else { return .skipped }
                switch builders[index].mode {
                case .numbers: return .number
                case .strings: return .text
                case .rereadAsStrings: return .skipped
                }
            }
            let slots = Self.stagedRows
            if self.stagedNumbers.count < builders.count * slots {
                // Uninitialized: a slot is read only after a row wrote it, and zeroing would fault in the pages of
                // both arrays for every column, where each column uses one of them.
                let size = builders.count * slots
                self.stagedNumbers = [Double](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
                self.stagedCodes = [Int32](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
            }
            self.stagedFractions = [Bool](repeating: false, count: builders.count)
            let end = base + buffer.count
            let fieldCount = header.count
            let builderOfField = self.builderOfField
            var position = start
            var rowsTaken = 0
            self.stagedNumbers.withUnsafeMutableBufferPointer { numbers in
                self.stagedCodes.withUnsafeMutableBufferPointer { codes in
                    self.stagedFractions.withUnsafeMutableBufferPointer { fractions in
                        var staged = 0
                        var reservedColumns = self.reservedColumns
                        func commit() {
                            if !reservedColumns, staged > 0, let expectedBytes = self.expectedBytes {
                                // Growing a column by doubling copies it and faults its pages in again at every
                                // step; the first rows' size per row predicts the rest well enough to size it once.
                                reservedColumns = true
                                let bytesPerRow = max(1, (position - start) / staged)
                                let rows = self.rowCount + staged + expectedBytes / bytesPerRow
                                for index in builders.indices where rereading?.contains(index) ?? true {
                                    builders[index].reserveCapacity(rows + rows / 16)
                                }
                            }
                            for index in builders.indices where rereading?.contains(index) ?? true {
                                switch builders[index].mode {
                                case .numbers:
                                    builders[index].append(
                                        parsed: UnsafeBufferPointer(rebasing: numbers[index * slots..<index * slots + staged]),
                                        sawFraction: fractions[index])
                                case .strings:
                                    builders[index].append(parsed: UnsafeBufferPointer(rebasing: codes[index * slots..<index * slots + staged]))
                                case .rereadAsStrings:
                                    break
                                }
                                fractions[index] = false
                            }
                            rowsTaken += staged
                            staged = 0
                        }
                        rows: while position < buffer.count {
                            var cursor = base + position
                            // A blank line is no row at all (not one empty field): the general path skips it.
                            if cursor.pointee == UInt8(ascii: "\n") || cursor.pointee == UInt8(ascii: "\r") { break rows }
                            for field in 0..<fieldCount {
                                let builder = builderOfField[field]
                                switch kinds[field] {
                                case .number:
                                    guard let (value, isInteger, stop) = NumberParser.parsePrefix(cursor, end: end, readableUpTo: end) else {
                                        break rows
                                    }
                                    numbers[builder &* slots &+ staged] = value
                                    if !isInteger { fractions[builder] = true }
                                    cursor = stop
                                case .text, .skipped:
                                    let fieldStart = cursor
                                    cursor = CSVTokenizer.nextDelimiter(from: cursor, end: end)
                                    guard cursor < end, cursor.pointee != UInt8(ascii: "\""), cursor.pointee != UInt8(ascii: "\r") else { break rows }
                                    if kinds[field] == .text {
                                        codes[builder &* slots &+ staged] = builders[builder].code(
                                            for: UnsafeBufferPointer(start: fieldStart, count: cursor - fieldStart), readableUpTo: end)
                                    }
                                }
                                guard cursor < end else { break rows }
                                let delimiter = cursor.pointee
                                if field < fieldCount &- 1 {
                                    guard delimiter == UInt8(ascii: ",") else { break rows }
                                } else if delimiter == UInt8(ascii: "\r") {
                                    guard cursor + 1 < end, cursor[1] == UInt8(ascii: "\n") else { break rows }
                                    cursor += 1
                                } else if delimiter != UInt8(ascii: "\n") {
                                    break rows
                                }
                                cursor += 1
                            }
                            position = base.distance(to: cursor)
                            staged &+= 1
                            if staged == slots { commit() }
                        }
                        commit()
                        self.reservedColumns = reservedColumns
                    }
                }
            }
            self.rowCount += rowsTaken
            tokenizer.skipLines(rowsTaken)
            return position
        }

        private func rows(_ batch: CSVRowBatch) throws {
            var first = 0
            if self.header == nil {
                try self.readHeader(batch)
                first = 1
            }
            guard let header = self.header, first < batch.rowCount else { return }
            for row in first..<batch.rowCount where batch.fieldCount(row: row) != header.count {
                throw TableReadError.raggedRow(
                    source: self.source, line: batch.line(row: row), expected: header.count, found: batch.fieldCount(row: row))
            }
            self.rowCount += batch.rowCount - first
            // Column by column: one exclusive access to each builder per batch, and a tight loop inside it. Every
            // row has the header's field count, so field i of row r is span r * count + i.
            for builderIndex in self.builders.indices {
                if let rereading = self.rereading, !rereading.contains(builderIndex) { continue }
                try self.builders[builderIndex].append(
                    field: self.fieldIndices[builderIndex], stride: header.count, of: batch, rows: first..<batch.rowCount, source: self.source)
            }
        }

        private func readHeader(_ batch: CSVRowBatch) throws {
            var names: [String] = []
            for index in 0..<batch.fieldCount(row: 0) {
                var name = String(decoding: batch.field(row: 0, index), as: UTF8.self)
                if index == 0, name.hasPrefix("\u{FEFF}") { name.removeFirst() }
                if names.contains(name) { throw TableReadError.duplicateColumn(source: self.source, column: name) }
                names.append(name)
            }
            let wanted = self.reader.columns ?? names
            let missing = wanted.filter { !names.contains($0) }
            guard missing.isEmpty else {
                throw TableReadError.unknownColumns(source: self.source, missing: missing, available: names)
            }
            self.header = names
            if self.builders.isEmpty {
                let kept = wanted.filter { self.reader.schema.types[$0] != .ignored }
                self.builders = kept.map { ColumnBuilder(name: $0, forced: self.reader.schema.types[$0]) }
            }
            self.fieldIndices = self.builders.map { builder in names.firstIndex(of: builder.name)! }
            self.builderOfField = [Int](repeating: -1, count: names.count)
            for (builder, field) in self.fieldIndices.enumerated() { self.builderOfField[field] = builder }
        }
    }

    /// Reads the file in chunks into one buffer; the incomplete row at the end of a chunk is moved to the front
    /// and the rest of the buffer refilled, and the buffer doubles when that row fills more than half of it (a
    /// long quoted field), so no byte is scanned more than a few times.
    private static func streamFile(_ path: String, _ consume: (_ buffer: UnsafeBufferPointer<UInt8>, _ isLast: Bool) throws -> Int) throws {
        guard let file = fopen(path, "rb") else {
            throw TableReadError.unreadable(source: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var capacity = self.chunkSize
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0
        while true {
            let wanted = capacity - filled
            let count = fread(buffer + filled, 1, wanted, file)
            filled += count
            let isLast = count < wanted
            if isLast, ferror(file) != 0 { throw TableReadError.unreadable(source: path, reason: "read error") }
            let consumed = try consume(UnsafeBufferPointer(start: buffer, count: filled), isLast)
            if isLast { return }
            let rest = filled - consumed
            if rest > capacity / 2 {
                capacity *= 2
                let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                larger.update(from: buffer + consumed, count: rest)
                buffer.deallocate()
                buffer = larger
            } else if rest > 0 {
                memmove(buffer, buffer + consumed, rest)
            }
            filled = rest
        }
    }
}
