import Foundation
import Hummingbird
import NIOCore

/// Reads and decodes JSON request bodies, turning every failure into a 4xx that names the field.
struct RequestBodyDecoder: Sendable {
    var maxBytes: Int

    func data(_ request: Request) async throws -> Data {
        do {
            let buffer = try await request.body.collect(upTo: self.maxBytes)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than \(self.maxBytes) bytes")
        }
    }

    /// Decodes a body; an empty body decodes from `{}` so that all-optional bodies may be left out.
    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var data = try await self.data(request)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { data = Data("{}".utf8) }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw Self.apiError(for: error)
        }
    }

    static func apiError(for error: DecodingError) -> APIError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath, key)
            return .badRequest("`\(field)` is required", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .badRequest("`\(field)` must be \(Self.describe(type))", field: field.isEmpty ? "body" : field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .badRequest("`\(field)` must be \(Self.describe(type)), not null", field: field)
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .badRequest("the body is not valid JSON", field: "body")
            }
            let field = path(context.codingPath)
            return .badRequest("`\(field)`: \(context.debugDescription)", field: field)
        @unknown default:
            return .badRequest("the body could not be read", field: "body")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        default: "of type \(type)"
        }
    }
}
