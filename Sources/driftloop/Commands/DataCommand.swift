import ArgumentParser
import CurlHTTP
import DriftData
import DriftStats
import Foundation
import ParquetFormat

/// `driftloop data SOURCE`: what driftloop reads from a source, as CSV in one format for every source (a header,
/// every string quoted, null as an empty unquoted field, floats at round-trip precision, dates, times and decimals
/// as text). For checking what a drift check sees.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Print what driftloop reads from a source (a path, an http(s) URL or s3:// objects; CSV or Parquet) as CSV.",
        discussion: """
            Parquet keeps its types: dates, timestamps and decimals are printed as text, strings always quoted (`"NA"` is \
            a string there, where a CSV reader would take NA as missing). A CSV source is printed as the drift check types it.
            S3 settings come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION and \
            AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL).
            """)

    @Argument(help: "The source: a path, an http(s) URL, s3://bucket/key, s3://bucket/prefix/ or s3://bucket/prefix/*.parquet.")
    var source: String

    @Option(help: "Only these columns, in this order (comma-separated).")
    var columns: String?

    @Option(help: "At most this many rows.")
    var limit: Int?

    func run() async throws {
        if let limit, limit < 0 { throw CLIError("--limit must be 0 or more") }
        let wanted = self.columns?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let output = FileHandle.standardOutput
        do {
            switch try await TableLoader(http: CurlHTTPClient()).open(self.source, columns: wanted) {
            case .parquet(let files, _, _):
                try Self.writeParquet(files, columns: wanted, limit: self.limit, to: output)
            case .table(let table):
                output.write(Data(TableCSVWriter.render(table, rows: self.limit.map { 0..<$0 })))
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// Streams row groups out as they are decoded: memory stays at one row group's kept columns.
    static func writeParquet(_ files: [ParquetFile], columns: [String]?, limit: Int?, to output: FileHandle) throws {
        guard let first = files.first else { return }
        let names = columns ?? first.schema.columns.map(\.name)
        var writer = ParquetCSVWriter()
        writer.writeHeader(names)
        var remaining = limit ?? Int.max
        for file in files where remaining > 0 {
            var groups = try file.rowGroupIterator(columns: names)
            while remaining > 0, let group = try groups.next() {
                let count = min(group.rowCount, remaining)
                try writer.writeRows(group.columns, rows: 0..<count)
                remaining -= count
                output.write(Data(writer.takeOutput()))
            }
        }
        output.write(Data(writer.takeOutput()))
    }
}
