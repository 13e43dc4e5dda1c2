import Foundation
import Hummingbird
import NIOCore

/// Reads and decodes JSON request bodies, turning every failure into a 4xx that names the field.
struct RequestBodyDecoder: Sendable {
    var maxBytes: Int
    /// Deeper JSON is refused before decoding: nothing driftloop reads needs more, and decoding cost grows with depth.
    static let maxDepth = 64
    static let jsonMediaTypes: Set<String> = ["application/json", "application/x-ndjson", "application/jsonl", "application/json-seq"]

    /// The body, after checking its declared type and size and its JSON nesting depth.
    func data(_ request: Request) async throws -> Data {
        try Self.checkContentType(request)
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > self.maxBytes {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than \(self.maxBytes) bytes")
        }
        let data: Data
        do {
            data = Data(try await request.body.collect(upTo: self.maxBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than \(self.maxBytes) bytes")
        } catch {
            // Broken chunked framing, or a client that went away mid-body: the request's fault, not the server's.
            throw APIError(.badRequest, code: "invalid_body", message: "the request body could not be read: \(error)", field: "body")
        }
        if let depth = Self.depthExceeding(Self.maxDepth, in: data) {
            throw APIError(.badRequest, code: "invalid_body", message: "the JSON is nested \(depth) levels deep; at most \(Self.maxDepth) are accepted", field: "body")
        }
        return data
    }

    /// A body must be declared JSON (or JSON lines), so a web page cannot post a form or `text/plain` to the API.
    static func checkContentType(_ request: Request) throws {
        guard let header = request.headers[.contentType] else { return }
        let mediaType = header.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard Self.jsonMediaTypes.contains(mediaType) || mediaType.hasSuffix("+json") else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                message: "the body must be JSON: send `Content-Type: application/json` (JSON lines: application/x-ndjson), not `\(header)`", field: "Content-Type")
        }
    }

    /// The first nesting depth over `limit` reached outside strings, or nil; linear in the body.
    static func depthExceeding(_ limit: Int, in data: Data) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return depth }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }

    /// Decodes a body; an empty body decodes from `{}` so that all-optional bodies may be left out.
    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var data = try await self.data(request)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { data = Data("{}".utf8) }
        let value: T
        do {
            value = try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw Self.apiError(for: error)
        }
        try (value as? any BoundedTextFields)?.checkTextLengths()
        return value
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
