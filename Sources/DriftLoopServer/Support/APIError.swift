import Foundation
import Hummingbird

/// An API error that renders itself as `{"error": {"code", "message", "field"}}` with a 4xx/5xx status.
package struct APIError: HTTPResponseError, Sendable {
    package var status: HTTPResponse.Status
    package var code: String
    package var message: String
    /// The request field at fault, as a dotted path, when there is one.
    package var field: String?
    /// Sent as `Retry-After` (429, 503).
    package var retryAfterSeconds: Int?
    /// Sent as `Allow` (405).
    package var allow: String?

    package init(
        _ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfterSeconds: Int? = nil, allow: String? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
        self.allow = allow
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var error: [String: String] = ["code": self.code, "message": self.message]
        if let field = self.field { error["field"] = field }
        var response = try JSONResponse.make(["error": error], status: self.status)
        if let seconds = self.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        if let allow = self.allow { response.headers[.allow] = allow }
        return response
    }

    static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, code: "invalid_request", message: message, field: field)
    }

    static func notFound(_ message: String, field: String? = nil) -> APIError {
        APIError(.notFound, code: "not_found", message: message, field: field)
    }
}

/// JSON responses with one encoder for the whole API: sorted keys and ISO 8601 dates.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try Self.encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
