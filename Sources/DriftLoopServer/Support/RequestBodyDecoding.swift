import DriftLoop
import Foundation
import Hummingbird
import NIOCore

/// Reads and decodes JSON request bodies, turning every failure into a 4xx that names the field.
///
/// A body is read only after the caller is authenticated from the headers where that is possible. Every body must
/// arrive within `readTimeout`, and bodies read before anyone is authenticated (signed webhooks, whose signature
/// covers the body, and every request while API authentication is off) share a small number of slots: a few slow
/// senders can no longer pin memory for minutes.
struct RequestBodyDecoder: Sendable {
    var maxBytes: Int
    /// The whole body must have arrived within this time of the handler asking for it.
    var readTimeout: Duration = .seconds(10)
    var unauthenticatedSlots = BodyReadSlots(limit: 16)
    /// Deeper JSON is refused before decoding: nothing driftloop reads needs more, and decoding cost grows with depth.
    static let maxDepth = 64
    static let jsonMediaTypes: Set<String> = ["application/json", "application/x-ndjson", "application/jsonl", "application/json-seq"]

    init(maxBytes: Int, readTimeout: Duration = .seconds(10), unauthenticatedSlots: BodyReadSlots = BodyReadSlots(limit: 16)) {
        self.maxBytes = maxBytes
        self.readTimeout = readTimeout
        self.unauthenticatedSlots = unauthenticatedSlots
    }

    /// The body, after checking its declared type and size and its JSON nesting depth. `authenticated` says whether
    /// the caller proved who it is before the body was read; when not, the read takes one of the shared slots.
    func data(_ request: Request, authenticated: Bool = true) async throws -> Data {
        try Self.checkContentType(request)
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > self.maxBytes {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than \(self.maxBytes) bytes")
        }
        if !authenticated {
            guard self.unauthenticatedSlots.acquire() else {
                throw APIError(
                    .serviceUnavailable, code: "busy",
                    message: "too many unauthenticated request bodies are being read; try again shortly, or authenticate with a bearer token")
            }
        }
        defer { if !authenticated { self.unauthenticatedSlots.release() } }
        let data = try await self.collect(request.body)
        // The scan stops at the first level past the limit, so the message says "more than", not how deep it goes.
        if Self.depthExceeding(Self.maxDepth, in: data) != nil {
            throw APIError(
                .badRequest, code: "invalid_body",
                message: "the JSON is nested more than \(Self.maxDepth) levels deep; at most \(Self.maxDepth) are accepted",
                field: "body")
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
                message: "the body must be JSON: send `Content-Type: application/json` (JSON lines: application/x-ndjson), not `\(header)`",
                field: "Content-Type")
        }
    }

    /// The first nesting depth over `limit` reached outside strings, or nil; linear in the body.
    static func depthExceeding(_ limit: Int, in data: Data) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
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

    /// Reads the body within `readTimeout`: a sender that trickles bytes to keep the connection alive is cut off.
    private func collect(_ body: RequestBody) async throws -> Data {
        let maxBytes = self.maxBytes
        let timeout = self.readTimeout
        do {
            return try await withThrowingTaskGroup(of: Data?.self) { group in
                group.addTask { Data(try await body.collect(upTo: maxBytes).readableBytesView) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let data = first else {
                    throw APIError(
                        .requestTimeout, code: "body_timeout", message: "the request body did not arrive within \(timeout.components.seconds) s",
                        field: "body")
                }
                return data
            }
        } catch let error as APIError {
            throw error
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "the request body is larger than \(maxBytes) bytes")
        } catch {
            // Broken chunked framing, or a client that went away mid-body: the request's fault, not the server's.
            throw APIError(.badRequest, code: "invalid_body", message: "the request body could not be read: \(error)", field: "body")
        }
    }

    /// Decodes a body; an empty body decodes from `{}` so that all-optional bodies may be left out.
    func decode<T: Decodable>(_ type: T.Type, from request: Request, authenticated: Bool = true) async throws -> T {
        try self.decode(type, from: try await self.data(request, authenticated: authenticated))
    }

    /// Decodes a body already read.
    func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        var data = body
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { data = Data("{}".utf8) }
        let value: T
        do {
            value = try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw Self.apiError(for: error)
        }
        if let closed = type as? any ClosedRequestBody.Type { try Self.refuseUnknownKeys(in: data, allowed: closed.allowedKeys) }
        try (value as? any BoundedTextFields)?.checkTextLengths()
        return value
    }

    /// The first key of the body's object that `allowed` does not list, as a 400 naming it and the allowed ones.
    static func refuseUnknownKeys(in data: Data, allowed: [String]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        guard let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) else { return }
        throw APIError.badRequest(
            "unknown field `\(LogText.escape(String(unknown.prefix(100))))`; the body takes \(allowed.map { "`\($0)`" }.joined(separator: ", "))",
            field: String(unknown.prefix(100)))
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
            // At the top level the body itself is the wrong kind of JSON (`[]`, `"text"`, `3`).
            if field.isEmpty { return .badRequest("the body must be a JSON object", field: "body") }
            return .badRequest("`\(field)` must be \(Self.describe(type))", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            if field.isEmpty { return .badRequest("the body must be a JSON object, not null", field: "body") }
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
        // Decoding names Swift's own types (`Dictionary<String, Any>`, `Array<Any>`); say what JSON is expected.
        default:
            String(describing: type).hasPrefix("Dictionary")
                ? "a JSON object" : String(describing: type).hasPrefix("Array") ? "a JSON array" : "another kind of value"
        }
    }
}
