import Foundation
import Testing

/// `driftloop data SOURCE`: what driftloop reads, as CSV; every Parquet fixture prints to exactly its CSV twin.
@Suite struct DataCommandTests {
    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("ParquetFormatTests/Fixtures").path
    }()

    @Test func everyParquetFixturePrintsToItsCSVTwin() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).filter { $0.hasSuffix(".parquet") }.map {
            String($0.dropLast(8))
        }
        #expect(names.count == 14)
        for name in names + ["generated/extra_types"] {
            let run = try await CLIRun.run(["data", "\(Self.fixtures)/\(name).parquet"])
            #expect(run.status == 0, "\(name): \(run.output.prefix(300))")
            let twin = try String(contentsOfFile: "\(Self.fixtures)/\(name).csv", encoding: .utf8)
            #expect(run.output == twin, "\(name)")
        }
    }

    @Test func columnsAndLimitSelectWhatIsPrinted() async throws {
        let run = try await CLIRun.run(["data", "\(Self.fixtures)/pa_dict_snappy_v1_multirg.parquet", "--columns", "name,id", "--limit", "2"])
        #expect(run.status == 0)
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first == "name,id")
        // A CSV source is printed as the drift check types it: numbers as numbers, strings quoted.
        let csv = try await CLIRun.run(["data", "\(Self.fixtures)/pa_dict_snappy_v1_multirg.csv", "--columns", "id,name", "--limit", "1"])
        #expect(csv.status == 0)
        #expect(csv.output == "id,name\n2005,\"harbor lotus fjord\"\n", "\(csv.output)")
    }

    @Test func aBrokenFileOrAnUnknownColumnIsRefusedNamingTheProblem() async throws {
        let broken = try await CLIRun.run(["data", "\(Self.fixtures)/broken/broken_page_size_overrun.parquet"])
        #expect(broken.status == 2)
        #expect(
            broken.output.contains("broken_page_size_overrun.parquet") && broken.output.contains("runs past the column chunk end"), "\(broken.output)"
        )
        let magic = try await CLIRun.run(["data", "\(Self.fixtures)/broken/broken_bad_magic.parquet"])
        #expect(magic.status == 2)
        let unknown = try await CLIRun.run(["data", "\(Self.fixtures)/pandas_default.parquet", "--columns", "nope"])
        #expect(unknown.status == 2 && unknown.output.contains("`nope`"), "\(unknown.output)")
        let missing = try await CLIRun.run(["data", "/no/such/file.parquet"])
        #expect(missing.status == 2 && missing.output.contains("No such file"), "\(missing.output)")
        let scheme = try await CLIRun.run(["data", "ftp://host/x.csv"])
        #expect(scheme.status == 2 && scheme.output.contains("ftp"), "\(scheme.output)")
    }

    @Test func driftReadsParquetAndNamesTheSourcesInItsSummary() async throws {
        let run = try await CLIRun.run([
            "drift", "--reference", "\(Self.fixtures)/pa_dict_snappy_v1_multirg.parquet", "--current", "\(Self.fixtures)/pa_dict_zstd_v2.parquet",
        ])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("reference: \(Self.fixtures)/pa_dict_snappy_v1_multirg.parquet (parquet, 1500 rows)"), "\(run.output)")
        #expect(run.output.contains("left out: day: date"), "\(run.output)")
    }
}
