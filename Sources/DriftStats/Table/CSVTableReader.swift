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
        guard var builders = firstPass.builders, firstPass.header != nil else {
            throw TableReadError.empty(source: source)
        }
        let reread = Set(builders.indices.filter { builders[$0].mode == .rereadAsStrings })
        if !reread.isEmpty {
            let secondPass = Pass(reader: self, source: source, rereading: reread)
            secondPass.builders = builders.enumerated().map { index, builder in
                reread.contains(index) ? ColumnBuilder(name: builder.name, forced: builder.forced, forceStrings: true) : builder
            }
            try secondPass.run(stream)
            builders = secondPass.builders ?? builders
        }
        return DataTable(columns: builders.map { $0.build() }, rowCount: firstPass.rowCount)
    }

    /// One pass over the file; the second pass feeds only the columns being reread.
    private final class Pass {
        let reader: CSVTableReader
        let source: String
        let rereading: Set<Int>?
        var header: [String]?
        var builders: [ColumnBuilder]?
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
            try stream { chunk in try tokenizer.feed(chunk) { tokenizer in try self.row(tokenizer) } }
            try tokenizer.finish(source: self.source) { tokenizer in try self.row(tokenizer) }
        }

        private func row(_ tokenizer: CSVTokenizer) throws {
            guard let header = self.header else {
                try self.readHeader(tokenizer)
                return
            }
            guard tokenizer.fieldCount == header.count else {
                throw TableReadError.raggedRow(source: self.source, line: tokenizer.rowLine, expected: header.count, found: tokenizer.fieldCount)
            }
            self.rowCount += 1
            for builderIndex in self.fieldIndices.indices {
                if let rereading = self.rereading, !rereading.contains(builderIndex) { continue }
                try tokenizer.withField(self.fieldIndices[builderIndex]) { field in
                    try self.builders![builderIndex].append(field, source: self.source, line: tokenizer.rowLine)
                }
            }
        }

        private func readHeader(_ tokenizer: CSVTokenizer) throws {
            var names: [String] = []
            for index in 0..<tokenizer.fieldCount {
                var name = tokenizer.withField(index) { String(decoding: $0, as: UTF8.self) }
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
            if self.builders == nil {
                let kept = wanted.filter { self.reader.schema.types[$0] != .ignored }
                self.builders = kept.map { ColumnBuilder(name: $0, forced: self.reader.schema.types[$0]) }
            }
            self.fieldIndices = self.builders!.map { builder in names.firstIndex(of: builder.name)! }
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
