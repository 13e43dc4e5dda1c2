import CurlHTTP
import DriftStats
import Foundation
import ObjectStorage
import ParquetFormat

#if canImport(Glibc)
import Glibc
#endif

/// Reads a table from wherever it is (a path, an http(s) URL, S3 objects), as CSV or Parquet: Parquet by its
/// leading `PAR1` or its file name, CSV otherwise. Only the columns asked for are kept; for Parquet over the
/// network, only their bytes are fetched.
package struct TableLoader: Sendable {
    let http: CurlHTTPClient
    let s3: S3Options
    let environment: [String: String]

    package init(http: CurlHTTPClient, s3: S3Options = S3Options(), environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.http = http
        self.s3 = s3
        self.environment = environment
    }

    /// The table at `location`, with `columns` (nil: all) and forced types from `schema`.
    package func load(_ location: String, columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()) async throws -> DataTable {
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
    package enum OpenedSource: Sendable {
        case parquet(files: [ParquetFile], source: String, bytesFetched: Int?)
        case table(DataTable)
    }

    /// Opens `location`: for Parquet only the footers are read (and, remotely, the chunks of `columns` fetched);
    /// CSV is read whole, keeping `columns`.
    package func open(_ location: String, columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()) async throws -> OpenedSource {
        let parsed = try DataLocation(parsing: location)
        switch parsed {
        case .file(let path):
            if try Self.leadingFormat(path) == .parquet {
                return .parquet(files: [try ParquetFile.open(path: path)], source: path, bytesFetched: nil)
            }
            var table = try CSVTableReader(columns: columns, schema: schema).read(path: path)
            table.source = DataSourceSummary(source: path, format: TableFormat.csv.rawValue, rows: table.rowCount)
            return .table(table)
        case .http(let url):
            if TableFormat.guess(fileName: parsed.fileName) == .parquet {
                // Only the footer and the kept columns' chunks are fetched (the whole file if the server ignores Range).
                let fetcher = HTTPRangeFetcher(url: url, http: self.http)
                let opened = try await Self.remote(name: url) {
                    try await RemoteParquetOpener(prefetch: { try await fetcher.prefetch(ranges: $0, tail: $1) }, name: url).open(columns: columns)
                }
                return .parquet(files: [opened.file], source: url, bytesFetched: opened.bytesFetched)
            }
            return try Self.whole(try await self.download(url), name: url, columns: columns, schema: schema)
        case .s3:
            return try await Self.remote(name: location) { try await self.openS3(location, columns: columns, schema: schema) }
        }
    }

    /// One object, everything under a prefix, or what a glob matches, as one dataset: Parquet objects through range
    /// reads of their kept columns; CSV objects downloaded and read as one file (their headers must agree).
    private func openS3(_ text: String, columns: [String]?, schema: ColumnSchema) async throws -> OpenedSource {
        let location = try S3Location(parsing: text)
        let client = S3Client(settings: try self.s3.settings(environment: self.environment), http: self.http)
        let objects = try await client.resolve(location, pageSize: self.s3.listPageSize)
        let parquet = objects.filter { TableFormat.guess(fileName: $0.key) == .parquet }
        if parquet.count == objects.count {
            var files: [ParquetFile] = []
            var fetched = 0
            // A few objects at a time: each is a handful of range requests of its own.
            for object in objects {
                let opened = try await Self.remote(name: object.location) {
                    try await RemoteParquetOpener(
                        prefetch: { try await client.prefetch(bucket: object.bucket, key: object.key, ranges: $0, tail: $1) }, name: object.location
                    ).open(columns: columns)
                }
                files.append(opened.file)
                fetched += opened.bytesFetched
            }
            return .parquet(files: files, source: text, bytesFetched: fetched)
        }
        guard parquet.isEmpty else {
            throw DataLocationError(text: text, problem: "matches both Parquet and other objects; name one kind (a glob such as `*.parquet`)")
        }
        var combined: [UInt8] = []
        var header: [UInt8]?
        for object in objects {
            let bytes = [UInt8](try await client.get(bucket: object.bucket, key: object.key))
            if TableFormat.detect(leadingBytes: bytes) == .parquet, objects.count == 1 {
                return .parquet(
                    files: [try ParquetFile.open(reading: InMemoryByteSource(bytes: bytes), name: object.location)], source: text,
                    bytesFetched: bytes.count)
            }
            let firstLineEnd = bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            let line = Array(bytes[..<firstLineEnd])
            if let header {
                guard line == header else {
                    throw DataLocationError(
                        text: text,
                        problem: "holds CSV objects with different headers (\(object.location)); objects read as one dataset need the same columns")
                }
                combined.append(contentsOf: bytes[firstLineEnd...])
            } else {
                header = line
                combined.append(contentsOf: bytes)
            }
            if combined.last != 0x0A { combined.append(0x0A) }
        }
        var opened = try Self.whole(combined, name: text, columns: columns, schema: schema)
        if case .table(var table) = opened, objects.count > 1 {
            table.source?.objects = objects.count
            opened = .table(table)
        }
        return opened
    }

    /// A whole downloaded file: Parquet by its magic, else CSV.
    static func whole(_ bytes: [UInt8], name: String, columns: [String]?, schema: ColumnSchema) throws -> OpenedSource {
        if TableFormat.detect(leadingBytes: bytes) == .parquet {
            return .parquet(
                files: [try ParquetFile.open(reading: InMemoryByteSource(bytes: bytes), name: name)], source: name, bytesFetched: bytes.count)
        }
        var table = try CSVTableReader(columns: columns, schema: schema).read(data: Data(bytes), source: name)
        table.source = DataSourceSummary(source: name, format: TableFormat.csv.rawValue, rows: table.rowCount, bytesFetched: bytes.count)
        return .table(table)
    }

    /// Network failures while opening a remote Parquet object, as the data errors the controller retries.
    static func remote<T>(name: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ObjectStorageError {
            throw DataSourceError(location: name, message: error.description, isTransient: error.isTransient)
        }
    }

    /// The format a local file's first four bytes say; a missing or unreadable file says so with the system's reason.
    package static func leadingFormat(_ path: String) throws -> TableFormat {
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
package struct DataSourceError: Error, Sendable, CustomStringConvertible {
    package var location: String
    package var message: String
    package var isTransient: Bool

    package init(location: String, message: String, isTransient: Bool) {
        self.location = location
        self.message = message
        self.isTransient = isTransient
    }

    package var description: String { "cannot load data from \(self.location): \(self.message)" }
}
