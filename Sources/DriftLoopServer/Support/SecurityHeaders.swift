import HTTPTypes
import Hummingbird

/// Headers that keep a browser from misusing the answers: the status pages cannot be framed (clickjacking an
/// approval), answers are never sniffed as another type, pages load nothing from elsewhere and run no script
/// (they need only inline style and inline SVG), and links leak no URL to other sites.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = BasicRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("Content-Security-Policy")!] = Self.contentSecurityPolicy
        return response
    }
}
