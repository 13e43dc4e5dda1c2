import Foundation

/// Reads the columns a drift check needs from a CSV file (header row, RFC 4180 quoting, pandas' missing-value
/// markers), streaming it in fixed-size chunks so memory grows with the columns kept, not the file.
public struct CSVTableReader: Sendable {
    /// Columns to keep; nil keeps every column.
    public var columns: [String]?
    public var schema: ColumnSchema
    static let chunkSize = 1 << 20

    public init(columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()) {
        self.columns = columns
        self.schema = schema
    }

    public func read(path: String) throws -> DataTable {
        try self.read(source: path) { consume in try Self.streamFile(path, consume) }
    }

    public func read(data: Data, source: String) throws -> DataTable {
        try self.read(source: source) { consume in
            try data.withUnsafeBytes { raw in try consume(raw.bindMemory(to: UInt8.self)) }
        }
    }

    private func read(source: String, stream: (_ consume: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void) throws -> DataTable {
        let firstPass = Pass(reader: self, source: source, rereading: nil)
        try firstPass.run(stream)
        var builders = firstPass.builders
        guard firstPass.header != nil else {
            throw TableReadError.empty(source: source)
        }
        let reread = Set(builders.indices.filter { builders[$0].mode == .rereadAsStrings })
        if !reread.isEmpty {
            let secondPass = Pass(reader: self, source: source, rereading: reread)
            secondPass.builders = builders.enumerated().map { index, builder in
                reread.contains(index) ? ColumnBuilder(name: builder.name, forced: builder.forced, forceStrings: true) : builder
            }
            try secondPass.run(stream)
            builders = secondPass.builders
        }
        return DataTable(columns: builders.map { $0.build() }, rowCount: firstPass.rowCount)
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

        init(reader: CSVTableReader, source: String, rereading: Set<Int>?) {
            self.reader = reader
            self.source = source
            self.rereading = rereading
        }

        func run(_ stream: (_ consume: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void) throws {
            var tokenizer = CSVTokenizer()
            try stream { chunk in try tokenizer.feed(chunk) { batch in try self.rows(batch) } }
            try tokenizer.finish(source: self.source) { batch in try self.rows(batch) }
        }

        private func rows(_ batch: CSVRowBatch) throws {
            var first = 0
            if self.header == nil {
                try self.readHeader(batch)
                first = 1
            }
            guard let header = self.header, first < batch.rowCount else { return }
            for row in first..<batch.rowCount where batch.fieldCount(row: row) != header.count {
                throw TableReadError.raggedRow(source: self.source, line: batch.line(row: row), expected: header.count, found: batch.fieldCount(row: row))
            }
            self.rowCount += batch.rowCount - first
            // Column by column: one exclusive access to each builder per batch, and a tight loop inside it.
            for builderIndex in self.builders.indices {
                if let rereading = self.rereading, !rereading.contains(builderIndex) { continue }
                try self.builders[builderIndex].append(field: self.fieldIndices[builderIndex], of: batch, rows: first..<batch.rowCount, source: self.source)
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
        }
    }

    private static func streamFile(_ path: String, _ consume: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard let file = fopen(path, "rb") else {
            throw TableReadError.unreadable(source: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: self.chunkSize)
        defer { buffer.deallocate() }
        while true {
            let count = fread(buffer.baseAddress, 1, self.chunkSize, file)
            if count > 0 { try consume(UnsafeBufferPointer(rebasing: buffer[0..<count])) }
            if count < self.chunkSize {
                if ferror(file) != 0 { throw TableReadError.unreadable(source: path, reason: "read error") }
                return
            }
        }
    }
}
