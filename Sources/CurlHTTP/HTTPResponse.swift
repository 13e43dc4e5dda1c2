import Foundation

/// A received HTTP response.
public struct HTTPResponse: Sendable {
    /// Final status code (after redirects, when followed).
    public var status: Int
    /// Headers of the final response, in the order received.
    package var headers: [(name: String, value: String)]
    /// Response body.
    package var body: Data

    package init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name, compared case-insensitively.
    package func header(_ name: String) -> String? {
        self.headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body decoded as UTF-8, for messages and logs.
    public var text: String { String(decoding: self.body, as: UTF8.self) }

    /// Decodes the body as JSON.
    package func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: self.body)
    }

    /// True for 2xx statuses.
    package var isSuccess: Bool { (200..<300).contains(self.status) }
}
