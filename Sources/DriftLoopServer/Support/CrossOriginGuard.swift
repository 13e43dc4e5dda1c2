import Hummingbird

/// With API authentication off (loopback only), any web page open in a browser on the machine could still post to
/// the API: browsers send simple cross-site POSTs without asking. Such requests carry an `Origin` that is not the
/// server's own, so they are refused. With a token configured, a page cannot add the Authorization header without
/// the server's consent (CORS), so the guard is not needed.
struct CrossOriginGuard: RouterMiddleware {
    typealias Context = BasicRequestContext
    var enabled: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if self.enabled, request.method != .get, request.method != .head, let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
            guard origin != "null", !host.isEmpty, originHost == host else {
                throw APIError(
                    .forbidden, code: "cross_origin",
                    message:
                        "a request from the web page at \(origin) is refused: API authentication is off, so only this server's own pages and non-browser clients may post; set a token to call the API from other origins",
                    field: "Origin")
            }
        }
        return try await next(request, context)
    }
}
