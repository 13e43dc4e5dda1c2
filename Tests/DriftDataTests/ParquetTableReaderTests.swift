import CurlHTTP
import DriftReport
import DriftStats
import Foundation
import ParquetFormat
import Testing

@testable import DriftData

/// Parquet files as drift tables: typed as Evidently types what `pandas.read_parquet` gives, and giving the same
/// report as their CSV twins wherever pandas types both alike.
@Suite struct ParquetTableReaderTests {
    static let loader = TableLoader(http: CurlHTTPClient())

    /// Evidently 0.7.23's own typing of each fixture's columns (Fixtures/make_evidently_column_types.py).
    @Test func everyColumnIsTypedAsEvidentlyTypesThePandasFrame() async throws {
        let data = try Data(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/evidently_column_types.json"))
        let expected = try JSONDecoder().decode(ExpectedTypes.self, from: data)
        #expect(expected.files.count >= 13)
        for (file, columns) in expected.files.sorted(by: { $0.key < $1.key }) {
            let table = try await Self.loader.load(DataFixtures.parquet(file))
            for (column, type) in columns.sorted(by: { $0.key < $1.key }) {
                if type == "excluded" {
                    #expect(table.excluded.contains { $0.column == column }, "\(file).\(column): Evidently leaves it out")
                    #expect(table[column] == nil, "\(file).\(column)")
                } else {
                    let read = try #require(table[column], "\(file).\(column) was not read")
                    #expect(ColumnTyping.type(of: read)?.rawValue == type, "\(file).\(column): Evidently says \(type), storage \(read.storage)")
                }
            }
        }
    }

    struct ExpectedTypes: Decodable {
        var files: [String: [String: String]]
    }

    /// The columns pandas reads alike from a Parquet file and its CSV twin: integers without nulls, integers with nulls
    /// (float64 both ways), floats, strings without NA-like text. (`name` holds some `NA`-like strings, which the CSV
    /// reader takes as missing: its counts differ, as pandas' do.)
    static let alike = ["id", "small_int", "i32", "i64", "f32", "f64", "score", "category"]

    @Test func parquetAndItsCSVTwinGiveTheSameReportWhereTypedAlike() async throws {
        let (parquetReport, csvReport, parquet, csv) = try await Self.reports(
            reference: "pa_dict_snappy_v1_multirg", current: "pa_dict_zstd_v2", columns: Self.alike)
        #expect(parquetReport.columns == csvReport.columns)
        #expect(parquetReport.columns.count == Self.alike.count)
        #expect((parquetReport.share, parquetReport.datasetDrift) == (csvReport.share, csvReport.datasetDrift))
        // The JSON and the HTML, apart from the lines naming the files, are the same too.
        var left = parquetReport, right = csvReport
        (left.referenceSource, left.currentSource, right.referenceSource, right.currentSource) = (nil, nil, nil, nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        #expect(try encoder.encode(left) == encoder.encode(right))
        let htmlParquet = DriftHTMLReport.render(left, reference: parquet.reference, current: parquet.current, title: "twins")
        let htmlCSV = DriftHTMLReport.render(right, reference: csv.reference, current: csv.current, title: "twins")
        #expect(htmlParquet == htmlCSV)
    }

    /// Where pandas types the twins differently, the reports differ the same way.
    @Test func whereBothReadersTypeDifferentlyTheReportsDifferAsPandasDoes() async throws {
        let (parquetReport, csvReport, _, _) = try await Self.reports(
            reference: "pa_dict_snappy_v1_multirg", current: "pa_dict_zstd_v2", columns: nil)
        let parquetColumns = Set(parquetReport.columns.map(\.column))
        let csvColumns = Set(csvReport.columns.map(\.column))
        // Dates, timestamps and decimals are kept as such by Parquet (Evidently leaves them out); CSV has only text
        // and numbers (a date is a string there, a decimal a float).
        for column in ["day", "ts_ms", "ts_us_utc", "ts_ns", "ts_ms_ny", "price", "flag"] {
            #expect(!parquetColumns.contains(column), "\(column)")
            #expect(csvColumns.contains(column), "\(column)")
            #expect(parquetReport.excludedColumns?.contains { $0.column == column } == true, "\(column) is reported as left out")
        }
        #expect(csvReport.columns.first { $0.column == "price" }?.columnType == .numerical)
        #expect(csvReport.columns.first { $0.column == "day" }?.columnType == .text)

        // `NA`, `null`, `None`... are strings in Parquet, missing values to a CSV reader.
        let parquet = try await Self.loader.load(DataFixtures.parquet("pa_edge_cases"), columns: ["na_like_str"])
        let csv = try await Self.loader.load(DataFixtures.csv("pa_edge_cases"), columns: ["na_like_str"])
        let presentInParquet = try #require(parquet["na_like_str"]).categoricalValues().count
        let presentInCSV = try #require(csv["na_like_str"]).categoricalValues().count
        #expect(presentInParquet > presentInCSV)
        #expect(try #require(parquet["na_like_str"]).categoricalValues().contains("NA"))
        #expect(!(try #require(csv["na_like_str"]).categoricalValues().contains("NA")))
        // An integer column without nulls stays an integer in Parquet (pandas int32), as in CSV.
        let integers = try await Self.loader.load(DataFixtures.parquet("pa_edge_cases"), columns: ["req_i32_runs"])
        #expect(integers["req_i32_runs"]?.storage == .integer)
    }

    @Test func pandasMetadataRestoresCategoryAndNullableDtypes() async throws {
        let table = try await Self.loader.load(DataFixtures.parquet("pandas_default"))
        #expect(table["segment"]?.storage == .category)
        #expect(table.excluded.first { $0.column == "count_nullable" }?.reason.contains("Int32") == true)
        #expect(table["label"]?.storage == .boolean)
    }

    @Test func aSchemaForcesTypesEvenOnColumnsEvidentlyLeavesOut() async throws {
        let schema = ColumnSchema(types: ["day": .categorical, "price": .numerical, "ts_ms": .ignored])
        let table = try await Self.loader.load(DataFixtures.parquet("pa_dict_zstd_v2"), columns: ["day", "price", "ts_ms"], schema: schema)
        #expect(table["day"]?.storage == .string)
        #expect(table["day"]?.categoricalValues().first?.count == 10, "dates as YYYY-MM-DD text")
        #expect(table["price"]?.finiteNumbers()?.isEmpty == false)
        #expect(table["ts_ms"] == nil && !table.excluded.contains { $0.column == "ts_ms" }, "ignored: neither read nor reported")
    }

    @Test func onlyTheColumnsAskedForAreReadAndAnUnknownOneIsNamed() async throws {
        let table = try await Self.loader.load(DataFixtures.parquet("pa_dict_snappy_v1_multirg"), columns: ["f64", "name"])
        #expect(table.columnNames == ["f64", "name"])
        #expect(table.rowCount == 1500)
        await #expect {
            _ = try await Self.loader.load(DataFixtures.parquet("pa_dict_snappy_v1_multirg"), columns: ["f64", "nope"])
        } throws: { error in
            "\(error)".contains("`nope`") && "\(error)".contains("f64")
        }
    }

    @Test func severalFilesReadAsOneDatasetMustAgreeOnTheirColumns() throws {
        let first = try ParquetFile.open(path: DataFixtures.parquet("pa_dict_snappy_v1_multirg"))
        let second = try ParquetFile.open(path: DataFixtures.parquet("pa_dict_zstd_v2"))
        let table = try ParquetTableReader(columns: ["id", "f64"]).read([first, second], source: "two files")
        #expect(table.rowCount == 3500)
        #expect(table["id"]?.count == 3500)
        let other = try ParquetFile.open(path: DataFixtures.parquet("pandas_default"))
        #expect {
            _ = try ParquetTableReader(columns: ["id", "f64"]).read([first, other], source: "mixed")
        } throws: { error in
            "\(error)".contains("pandas_default") && "\(error)".contains("`f64`")
        }
    }

    @Test func anEmptyFileReadsAsZeroRows() async throws {
        let table = try await Self.loader.load(DataFixtures.parquet("pa_empty"))
        #expect(table.rowCount == 0)
    }

    /// Reports on the Parquet pair and on their CSV twins.
    static func reports(reference: String, current: String, columns: [String]?) async throws -> (
        DataDriftReport, DataDriftReport, (reference: DataTable, current: DataTable), (reference: DataTable, current: DataTable)
    ) {
        let parquetReference = try await Self.loader.load(DataFixtures.parquet(reference), columns: columns)
        let parquetCurrent = try await Self.loader.load(DataFixtures.parquet(current), columns: columns)
        let csvReference = try await Self.loader.load(DataFixtures.csv(reference), columns: columns)
        let csvCurrent = try await Self.loader.load(DataFixtures.csv(current), columns: columns)
        let analysis = DataDriftAnalysis()
        return (
            analysis.run(reference: parquetReference, current: parquetCurrent, columns: columns),
            analysis.run(reference: csvReference, current: csvCurrent, columns: columns),
            (parquetReference, parquetCurrent), (csvReference, csvCurrent)
        )
    }
}
