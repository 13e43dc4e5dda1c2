import CurlHTTP
import DriftStats
import Foundation
import ParquetFormat
#if canImport(Glibc)
import Glibc
#endif

/// Reads a table from wherever it is (a path, an http(s) URL, S3 objects), as CSV or Parquet: Parquet by its
/// leading `PAR1` or its file name, CSV otherwise. Only the columns asked for are kept; for Parquet over the
/// network, only their bytes are fetched.
public struct TableLoader: Sendable {
    let http: CurlHTTPClient

    public init(http: CurlHTTPClient) {
        self.http = http
    }

    /// The table at `location`, with `columns` (nil: all) and forced types from `schema`.
    public func load(_ location: String, columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()) async throws -> DataTable {
        switch try await self.open(location, columns: columns, schema: schema) {
        case .parquet(let files, let source, let bytesFetched):
            var table = try ParquetTableReader(columns: columns, schema: schema).read(files, source: source)
            table.source = DataSourceSummary(
                source: source, format: TableFormat.parquet.rawValue, rows: table.rowCount, objects: files.count > 1 ? files.count : nil,
                bytesFetched: bytesFetched)
            return table
        case .table(let table):
            return table
        }
    }

    /// A source opened for reading: Parquet files (footers read, column data not yet), or a table already read (CSV).
    public enum OpenedSource: Sendable {
        case parquet(files: [ParquetFile], source: String, bytesFetched: Int?)
        case table(DataTable)
    }

    /// Opens `location`: for Parquet only the footers are read (and, remotely, the chunks of `columns` fetched);
    /// CSV is read whole, keeping `columns`.
    public func open(_ location: String, columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()) async throws -> OpenedSource {
        switch try DataLocation(parsing: location) {
        case .file(let path):
            if try Self.leadingFormat(path) == .parquet {
                return .parquet(files: [try ParquetFile.open(path: path)], source: path, bytesFetched: nil)
            }
            var table = try CSVTableReader(columns: columns, schema: schema).read(path: path)
            table.source = DataSourceSummary(source: path, format: TableFormat.csv.rawValue, rows: table.rowCount)
            return .table(table)
        case .http(let url):
            let bytes = try await self.download(url)
            if TableFormat.detect(leadingBytes: bytes) == .parquet {
                return .parquet(files: [try ParquetFile.open(reading: InMemoryByteSource(bytes: bytes), name: url)], source: url, bytesFetched: bytes.count)
            }
            var table = try CSVTableReader(columns: columns, schema: schema).read(data: Data(bytes), source: url)
            table.source = DataSourceSummary(source: url, format: TableFormat.csv.rawValue, rows: table.rowCount, bytesFetched: bytes.count)
            return .table(table)
        case .s3:
            throw DataLocationError(text: location, problem: "is an S3 location; S3 is not available in this build")
        }
    }

    /// The format a local file's first four bytes say; a missing or unreadable file says so with the system's reason.
    static func leadingFormat(_ path: String) throws -> TableFormat {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TableReadError.unreadable(source: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var magic = [UInt8](repeating: 0, count: 4)
        let count = magic.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, 4) }
        return TableFormat.detect(leadingBytes: magic.prefix(max(0, count)))
    }

    func download(_ url: String) async throws -> [UInt8] {
        let response: HTTPResponse
        do {
            response = try await self.http.send(HTTPRequest(url: url, timeout: .seconds(120), followsRedirects: true))
        } catch let error as CurlError {
            throw DataSourceError(location: url, message: error.message, isTransient: error.isTransient)
        }
        guard response.isSuccess else {
            throw DataSourceError(location: url, message: "HTTP \(response.status)", isTransient: response.status >= 500 || response.status == 429)
        }
        return [UInt8](response.body)
    }
}

/// Data that could not be fetched, with where it was looked for and whether trying again may help.
public struct DataSourceError: Error, Sendable, CustomStringConvertible {
    public var location: String
    public var message: String
    public var isTransient: Bool

    public init(location: String, message: String, isTransient: Bool) {
        self.location = location
        self.message = message
        self.isTransient = isTransient
    }

    public var description: String { "cannot load data from \(self.location): \(self.message)" }
}
