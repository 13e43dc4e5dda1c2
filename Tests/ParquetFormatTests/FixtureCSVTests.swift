import Foundation
import Testing

@testable import ParquetFormat

/// Every fixture reads to exactly its CSV twin, and its schema and layout agree with the
/// sidecar JSON written by the fixture generator.
@Suite("Fixtures read to their CSV twins")
struct FixtureCSVTests {
    @Test("the manifest lists exactly the fixtures tested here")
    func manifestIsCovered() throws {
        let manifest = try FixtureFiles.json("MANIFEST.json")
        let cases = manifest["cases"] as? [String] ?? []
        #expect(cases.filter { !$0.hasPrefix("broken/") } == FixtureFiles.sharedCases)
        #expect(cases.filter { $0.hasPrefix("broken/") }.map { String($0.dropFirst(7)) } == FixtureFiles.brokenCases)
    }

    @Test("reads to its CSV twin", arguments: FixtureFiles.sharedCases + ["generated/extra_types"])
    func matchesCSVTwin(_ name: String) throws {
        let file = try ParquetFile.open(path: FixtureFiles.path(name + ".parquet"))
        let rendered = try ParquetCSVWriter.render(try file.readColumns())
        let expected = try FixtureFiles.bytes(name + ".csv")
        if rendered == expected { return }

        // Not byte-identical: find out where, comparing floats by value as the notes allow.
        let got = try RFC4180.parse(rendered)
        let want = try RFC4180.parse(expected)
        #expect(got.count == want.count, "row count (header included)")
        var mismatches: [String] = []
        for (rowIndex, (gotRow, wantRow)) in zip(got, want).enumerated() {
            guard gotRow.count == wantRow.count else {
                mismatches.append("row \(rowIndex): \(gotRow.count) fields, expected \(wantRow.count)")
                continue
            }
            for (column, (a, b)) in zip(gotRow, wantRow).enumerated() where a != b && !Self.sameFloat(a, b) {
                mismatches.append("row \(rowIndex) column \(column): got \(a), expected \(b)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatching fields; first: \(mismatches.prefix(5))")
    }

    /// Both unquoted numbers with the same value (NaN equal to NaN).
    static func sameFloat(_ a: RFC4180.Field, _ b: RFC4180.Field) -> Bool {
        guard case let .unquoted(x) = a, case let .unquoted(y) = b,
            let u = Double(x), let v = Double(y)
        else { return false }
        return u.bitPattern == v.bitPattern || (u.isNaN && v.isNaN)
    }

    @Test("schema, row groups and null counts agree with the sidecar JSON", arguments: FixtureFiles.sharedCases)
    func agreesWithSidecar(_ name: String) throws {
        let sidecar = try FixtureFiles.json(name + ".json")
        let file = try ParquetFile.open(path: FixtureFiles.path(name + ".parquet"))
        #expect(file.rowCount == sidecar["num_rows"] as? Int)
        #expect(file.rowGroups.count == sidecar["num_row_groups"] as? Int)
        #expect(file.createdBy == sidecar["created_by"] as? String)

        let schema = sidecar["schema"] as? [[String: Any]] ?? []
        try #require(schema.count == file.schema.columns.count)
        let columns = try file.readColumns()
        for (entry, column) in zip(schema, columns) {
            let descriptor = column.descriptor
            #expect(descriptor.name == entry["name"] as? String)
            #expect(descriptor.physicalType.description == entry["physical_type"] as? String, "\(descriptor.name)")
            #expect((descriptor.isNullable ? "OPTIONAL" : "REQUIRED") == entry["repetition"] as? String, "\(descriptor.name)")
            #expect(column.nullCount == entry["null_count"] as? Int, "\(descriptor.name) null count")
            #expect(descriptor.logicalType == Self.expectedLogicalType(entry), "\(descriptor.name) logical type")
        }

        let groups = sidecar["row_groups"] as? [[String: Any]] ?? []
        for (group, info) in zip(groups, file.rowGroups) {
            #expect(info.rowCount == group["num_rows"] as? Int)
            let chunks = group["columns"] as? [String: [String: Any]] ?? [:]
            for (columnInfo, descriptor) in zip(info.columns, file.schema.columns) {
                let chunk = chunks[descriptor.name] ?? [:]
                #expect(columnInfo.codec?.description == chunk["codec"] as? String, "\(descriptor.name) codec")
                #expect(columnInfo.compressedSize == chunk["total_compressed_size"] as? Int, "\(descriptor.name) size")
            }
        }
    }

    /// The logical type the sidecar's annotations call for (LogicalType first, then
    /// ConvertedType, as PARQUET-NOTES section 6 says).
    static func expectedLogicalType(_ entry: [String: Any]) -> ParquetLogicalType {
        let units: [String: ParquetTimeUnit] = ["MILLIS": .milliseconds, "MICROS": .microseconds, "NANOS": .nanoseconds]
        if let logical = entry["logical_type"] as? [String: Any], let type = logical["type"] as? String {
            switch type {
            case "STRING": return .string
            case "DATE": return .date
            case "UNKNOWN": return .unknown
            case "DECIMAL": return .decimal(precision: logical["precision"] as? Int ?? -1, scale: logical["scale"] as? Int ?? -1)
            case "TIMESTAMP":
                return .timestamp(
                    unit: units[logical["unit"] as? String ?? ""] ?? .nanoseconds,
                    isAdjustedToUTC: logical["isAdjustedToUTC"] as? Bool ?? false)
            default: return .none
            }
        }
        switch entry["converted_type"] as? String {
        case "UTF8": return .string
        case "DATE": return .date
        case "INT_32": return .integer(bitWidth: 32, isSigned: true)
        case "INT_64": return .integer(bitWidth: 64, isSigned: true)
        default: return .none
        }
    }

    @Test("an empty file gives typed empty columns")
    func emptyFileColumnsAreTyped() throws {
        let file = try ParquetFile.open(path: FixtureFiles.path("pa_empty.parquet"))
        let columns = try file.readColumns()
        #expect(columns.count == 16)
        #expect(columns.allSatisfy { $0.count == 0 })
        #expect(columns[0].values == .int64([]))
        #expect(columns[8].values == .string(ParquetByteArrays()))
        #expect(columns[10].values == .date([]))
        #expect(columns[15].values == .decimal([], precision: 9, scale: 2))
    }

    @Test("typed values: timestamps, decimals, unsigned and INT96 come out as the enum promises")
    func typedValues() throws {
        let plain = try ParquetFile.open(path: FixtureFiles.path("pa_plain_uncompressed_v1.parquet"))
        let columns = try plain.readColumns(["ts_us_utc", "price", "f32", "flag"])
        guard case let .timestamp(_, unit, utc) = columns[0].values else {
            Issue.record("ts_us_utc is \(columns[0].values)")
            return
        }
        #expect(unit == .microseconds && utc)
        guard case let .decimal(prices, precision, scale) = columns[1].values else {
            Issue.record("price is \(columns[1].values)")
            return
        }
        #expect(precision == 9 && scale == 2)
        #expect(prices[0] == -1)  // CSV: -0.01
        #expect(columns[2].descriptor.physicalType == .float)
        #expect(columns[3].isNull(at: 0))  // CSV row 1: flag empty

        let extra = try ParquetFile.open(path: FixtureFiles.path("generated/extra_types.parquet"))
        let typed = try extra.readColumns(["ts_int96", "u32", "u64", "t_ms", "raw_binary"])
        #expect(typed[0].descriptor.physicalType == .int96)
        #expect(typed[0].values == .timestamp(Self.int96Expected(typed[0]), unit: .nanoseconds, isAdjustedToUTC: false))
        guard case let .int64(u32) = typed[1].values, case let .uint64(u64) = typed[2].values else {
            Issue.record("unsigned columns are \(typed[1].values) / \(typed[2].values)")
            return
        }
        #expect(u32[0] == 4_294_967_295)
        #expect(u64[0] == UInt64.max)
        guard case .time(_, .milliseconds, false) = typed[3].values, case .binary = typed[4].values else {
            Issue.record("time/binary columns are \(typed[3].values) / \(typed[4].values)")
            return
        }
    }

    /// The generator's INT96 values: (i - 20) days/3 in ns plus i × 123456789 ns, every 7th null.
    static func int96Expected(_ column: ParquetColumn) -> [Int64] {
        (0..<40).map { i in
            column.isNull(at: i) ? 0 : Int64(i - 20) * 86_400_000_000_000 / 3 + Int64(i) * 123_456_789
        }
    }
}
