import CurlHTTP
import DriftStats
import Foundation

/// Fetches a pipeline's data: a local path (or `file://` URL) is read from disk, an http(s) URL through libcurl.
public struct DataLoader: Sendable {
    let client: CurlHTTPClient

    public init(client: CurlHTTPClient) {
        self.client = client
    }

    /// Reads the columns of a CSV table: streamed from a local file, or downloaded first from a URL.
    public func table(_ location: String, reader: CSVTableReader = CSVTableReader()) async throws -> DataTable {
        if Self.isRemote(location) {
            return try reader.read(data: try await self.load(location), source: location)
        }
        let path = location.hasPrefix("file://") ? (URL(string: location)?.path ?? location) : location
        return try reader.read(path: path)
    }

    static func isRemote(_ location: String) -> Bool {
        location.hasPrefix("http://") || location.hasPrefix("https://")
    }

    public func load(_ location: String) async throws -> Data {
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            let response: HTTPResponse
            do {
                response = try await self.client.send(HTTPRequest(url: location, timeout: .seconds(120), followsRedirects: true))
            } catch let error as CurlError {
                throw DataLoadError(location: location, message: error.message, isTransient: error.isTransient)
            }
            guard response.isSuccess else {
                throw DataLoadError(location: location, message: "HTTP \(response.status)", isTransient: response.status >= 500)
            }
            return response.body
        }
        let path = location.hasPrefix("file://") ? (URL(string: location)?.path ?? location) : location
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataLoadError(location: location, message: "no readable file there", isTransient: false)
        }
        return data
    }
}

/// Data that could not be fetched, with where it was looked for.
public struct DataLoadError: Error, Sendable, CustomStringConvertible {
    public var location: String
    public var message: String
    public var isTransient: Bool

    public var description: String { "cannot load data from \(self.location): \(self.message)" }
}
