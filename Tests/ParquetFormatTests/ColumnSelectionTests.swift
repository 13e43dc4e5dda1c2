import Testing

@testable import ParquetFormat

/// Reading some columns reads only their chunks, through ranges.
@Suite("Column selection reads only what it needs")
struct ColumnSelectionTests {
    static let widePath = FixtureFiles.path("generated/wide_20_columns.parquet")

    @Test("two of twenty columns: few bytes read, right values, right order")
    func twoOfTwentyColumns() throws {
        let source = CountingByteSource(try FileByteSource(path: Self.widePath))
        let file = try ParquetFile.open(reading: source, name: "wide")
        #expect(file.schema.columns.count == 20)
        #expect(file.rowGroups.count == 4)
        let footerReads = source.ranges
        #expect(footerReads.count == 3, "tail, leading magic, footer")
        #expect(footerReads[0] == source.size - 8..<source.size)

        let columns = try file.readColumns(["c05", "c01"])
        #expect(columns.map(\.name) == ["c05", "c01"])

        // Every further read is exactly one wanted column chunk.
        let chunkReads = Array(source.ranges.dropFirst(3))
        let wanted = file.rowGroups.flatMap { group in [group.columns[5].byteRange, group.columns[1].byteRange] }
        #expect(chunkReads == wanted)
        let fraction = Double(source.bytesRead) / Double(source.size)
        #expect(fraction < 0.2, "read \(source.bytesRead) of \(source.size) bytes")

        guard case let .string(names) = columns[0].values, case let .double(values) = columns[1].values else {
            Issue.record("unexpected types \(columns[0].values) / \(columns[1].values)")
            return
        }
        #expect(names.count == 20_000 && values.count == 20_000)
        #expect((0..<20_000).allSatisfy { names.string(at: $0) == "r\($0)_c5" })
        #expect((0..<20_000).allSatisfy { values[$0] == Double($0) * 0.25 + 1 })
        #expect(columns.allSatisfy { $0.validity == nil })
    }

    @Test("one row group, one column")
    func singleRowGroup() throws {
        let source = CountingByteSource(try FileByteSource(path: Self.widePath))
        let file = try ParquetFile.open(reading: source, name: "wide")
        let group = try file.readRowGroup(2, columns: ["c03"])
        #expect(group.rowCount == 5_000)
        #expect(source.ranges.count == 4)
        #expect(group["c03"]?.values == .int64((10_000..<15_000).map { Int64($0) * 3 }))
    }

    @Test("the row-group iterator yields every group in order, and appended columns equal a whole read")
    func iteratorMatchesWholeRead() throws {
        let file = try ParquetFile.open(path: Self.widePath)
        var iterator = try file.rowGroupIterator(columns: ["id", "c02"])
        var indices: [Int] = []
        var appended: [ParquetColumn] = []
        while let group = try iterator.next() {
            indices.append(group.index)
            if appended.isEmpty {
                appended = group.columns
            } else {
                for position in appended.indices {
                    try appended[position].append(contentsOf: group.columns[position])
                }
            }
        }
        #expect(indices == [0, 1, 2, 3])
        #expect(appended == (try file.readColumns(["id", "c02"])))
    }

    @Test("appending a nullable chunk after one without nulls builds the validity")
    func appendingValidity() throws {
        let file = try ParquetFile.open(path: FixtureFiles.path("pa_dict_snappy_v1_multirg.parquet"))
        for name in ["name", "i64", "f64"] {
            let whole = try file.readColumns([name])[0]
            var built: ParquetColumn?
            for index in file.rowGroups.indices {
                let part = try file.readRowGroup(index, columns: [name]).columns[0]
                built = try built?.appending(part) ?? part
            }
            // Compared as CSV text: f64 holds NaN, which is never == itself.
            #expect(try ParquetCSVWriter.render([try #require(built)]) == ParquetCSVWriter.render([whole]), "\(name)")
            #expect(built?.validity == whole.validity)
            #expect(whole.nullCount > 0)
        }
    }
}
