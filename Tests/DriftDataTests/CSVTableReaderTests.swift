import DriftStats
import Foundation
import Testing

@testable import DriftData

@Suite struct CSVTableReaderTests {
    func read(_ text: String, columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()) throws -> DataTable {
        try CSVTableReader(columns: columns, schema: schema).read(data: Data(text.utf8), source: "t.csv")
    }

    func numbers(_ column: TableColumn?) -> [Double] {
        guard case .numbers(let values)? = column?.values else { return [] }
        return values
    }

    func strings(_ column: TableColumn?) -> [String?] {
        guard case .codes(let codes, let levels)? = column?.values else { return [] }
        return codes.map { $0 < 0 ? nil : levels[Int($0)] }
    }

    @Test func typesColumnsAsPandasWould() throws {
        let table = try self.read("i,f,m,s,b\n1,1.5,3,x,True\n2,2,,y,false\n-3,1e3,4,x,TRUE\n")
        #expect(table.rowCount == 3)
        #expect(table["i"]?.storage == .integer)
        #expect(self.numbers(table["i"]) == [1, 2, -3])
        #expect(table["f"]?.storage == .float)
        #expect(self.numbers(table["f"]) == [1.5, 2, 1000])
        #expect(table["m"]?.storage == .float, "an integer column with a missing value is float64 in pandas")
        #expect(self.numbers(table["m"])[1].isNaN)
        #expect(table["s"]?.storage == .string)
        #expect(self.strings(table["s"]) == ["x", "y", "x"])
        #expect(table["b"]?.storage == .boolean)
        #expect(self.strings(table["b"]) == ["True", "False", "True"])
    }

    @Test func quotedFieldsEscapesCRLFAndBlankLines() throws {
        let table = try self.read("a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\r\n\r\n\"multi\nline\",2\r\nplain,\"\"\r\n")
        #expect(table.rowCount == 3)
        #expect(self.strings(table["a"]) == ["x, y", "multi\nline", "plain"])
        #expect(self.strings(table["b"]) == ["he said \"hi\"", "2", nil])
    }

    @Test func missingMarkersAndInfinities() throws {
        let table = try self.read("x,y\nNA,inf\nnan,-inf\n,1\nNULL,2\n1,Infinity\n")
        let x = self.numbers(table["x"])
        #expect(x.prefix(4).allSatisfy(\.isNaN) && x[4] == 1)
        #expect(self.numbers(table["y"]) == [.infinity, -.infinity, 1, 2, .infinity])
        #expect(table["y"]?.finiteNumbers() == [1, 2])
    }

    @Test func aColumnThatTurnsOutToBeTextIsRereadAsStrings() throws {
        var text = "id,code\n"
        for row in 0..<5000 { text += "\(row),\(row % 7)\n" }
        text += "5000,n/a\n5001,A7\n"
        let table = try self.read(text)
        #expect(table["code"]?.storage == .string)
        let codes = self.strings(table["code"])
        #expect(codes.count == 5002 && codes[0] == "0" && codes[6] == "6" && codes[5000] == nil && codes[5001] == "A7")
        #expect(table["id"]?.storage == .integer)
    }

    @Test func keepsOnlyRequestedColumnsAndHonoursSchema() throws {
        let schema = ColumnSchema(types: ["b": .categorical, "c": .ignored])
        let table = try self.read("a,b,c\n1,2,3\n4,5,6\n", schema: schema)
        #expect(table.columnNames == ["a", "b"])
        #expect(table["b"]?.storage == .string)
        let some = try self.read("a,b,c\n1,2,3\n", columns: ["c"])
        #expect(some.columnNames == ["c"])
    }

    @Test func errorsNameTheLineAndColumn() {
        #expect(throws: TableReadError.raggedRow(source: "t.csv", line: 3, expected: 2, found: 3)) {
            try self.read("a,b\n1,2\n1,2,3\n")
        }
        #expect(throws: TableReadError.unterminatedQuote(source: "t.csv", line: 2)) {
            try self.read("a,b\n\"1,2\n")
        }
        #expect(throws: TableReadError.unparsableNumber(source: "t.csv", line: 3, column: "a", text: "oops")) {
            try self.read("a,b\n1,2\noops,2\n", schema: ColumnSchema(types: ["a": .numerical]))
        }
        #expect(throws: TableReadError.unknownColumns(source: "t.csv", missing: ["z"], available: ["a", "b"])) {
            try self.read("a,b\n1,2\n", columns: ["z"])
        }
        #expect(throws: TableReadError.empty(source: "t.csv")) { try self.read("") }
        #expect(throws: TableReadError.duplicateColumn(source: "t.csv", column: "a")) { try self.read("a,a\n1,2\n") }
        let message = TableReadError.raggedRow(source: "t.csv", line: 3, expected: 2, found: 3).description
        #expect(message.contains("t.csv:3") && message.contains("3 fields"))
    }

    @Test func streamingAcrossChunkBoundariesMatchesOneChunk() throws {
        var text = "\u{FEFF}n,s\n"
        for row in 0..<100_000 { text += "\(Double(row) * 0.25),\"v, \(row % 13)\"\n" }
        let path = NSTemporaryDirectory() + "csv-stream-\(UUID().uuidString).csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let streamed = try CSVTableReader().read(path: path)
        let whole = try self.read(text)
        #expect(text.utf8.count > CSVTableReader.chunkSize)
        #expect(streamed.rowCount == 100_000 && streamed.columnNames == ["n", "s"])
        #expect(self.numbers(streamed["n"]) == self.numbers(whole["n"]))
        #expect(self.strings(streamed["s"]) == self.strings(whole["s"]))
        #expect(self.strings(streamed["s"])[14] == "v, 1")
    }

    @Test func schemaFileParsesAndRejectsBadTypes() throws {
        let schema = try ColumnSchema.parse(Data(#"{"columns": {"a": "num", "b": "cat", "c": "ignore"}}"#.utf8), source: "s.json")
        #expect(schema.types == ["a": .numerical, "b": .categorical, "c": .ignored])
        #expect(throws: ColumnSchemaError.self) { try ColumnSchema.parse(Data(#"{"columns": {"a": "number"}}"#.utf8), source: "s.json") }
        #expect(throws: ColumnSchemaError.self) { try ColumnSchema.load(path: "/nonexistent/schema.json") }
    }

    @Test func fastNumberParsingAgreesWithCorrectlyRoundedParsing() {
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for _ in 0..<20_000 {
            let digits = String(next() % 10_000_000_000_000_000)
            let point = Int(next() % UInt64(digits.count + 1))
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if next() % 3 == 0 { text += "e\(Int(next() % 60) - 30)" }
            if next() % 2 == 0 { text = "-" + text }
            let parsed = Array(text.utf8).withUnsafeBufferPointer { NumberParser.parse($0) }
            #expect(parsed?.0 == Double(text), "\(text)")
        }
    }

    /// The row parser's way: a field followed by a delimiter and readable bytes, where short decimals take the
    /// one-word-per-side path and the rest the general one; what either gives must be strtod's value and pandas'
    /// integer flag, and a short decimal is never declined (declined fields go to strtod).
    @Test func fastNumberParsingWithReadableBytesAgreesWithCorrectlyRoundedParsing() {
        var state: UInt64 = 11
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var texts = [
            "0", "7", "-0", "1.", ".5", "-.25", "+3.25", "-0.0", "1234567.1234567", "12345678.5", "1.12345678", "00012.5000", "1e5", "1.5E-3", "42",
            "-9999999",
        ]
        for _ in 0..<20_000 {
            let digits = String(next() % 10_000_000_000_000_000).prefix(Int(next() % 17) + 1)
            let point = Int(next() % UInt64(digits.count + 2)) - 1
            var text = point < 0 ? String(digits) : String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if next() % 8 == 0 { text += "e\(Int(next() % 40) - 20)" }
            switch next() % 3 {
            case 0: text = "-" + text
            case 1: if next() % 4 == 0 { text = "+" + text }
            default: break
            }
            texts.append(text)
        }
        for text in texts where text != "." && text != "-." && text != "+." {
            for (terminator, padding) in [(",", 16), ("\n", 0), ("\r", 40)] {
                let bytes = Array((text + terminator).utf8) + [UInt8](repeating: UInt8(ascii: "7"), count: padding)
                let parsed = bytes.withUnsafeBufferPointer { buffer in
                    NumberParser.fastPath(
                        UnsafeBufferPointer(rebasing: buffer[0..<text.utf8.count]), readableUpTo: buffer.baseAddress! + buffer.count)
                }
                let isInteger = !text.contains(".") && !text.lowercased().contains("e")
                if let parsed {
                    #expect(parsed.0 == Double(text) && parsed.isInteger == isInteger, "\(text)")
                } else {
                    let sides = text.trimmingCharacters(in: CharacterSet(charactersIn: "+-")).split(separator: ".", omittingEmptySubsequences: false)
                    let isShortDecimal = !text.lowercased().contains("e") && sides.allSatisfy { $0.count < 8 }
                    #expect(!isShortDecimal, "declined \(text)")
                }
            }
        }
    }
}
