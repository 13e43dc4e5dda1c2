import Hummingbird
import Synchronization

/// The router's routes by path, so a known path asked with a method it does not serve is answered 405 with `Allow`
/// instead of the router's 404. Filled once by `buildRouter` after every route is added, before anything is served.
final class RouteMethods: Sendable {
    /// Each route's path segments (a capture or wildcard is nil: any one segment; "**" is any rest) and method.
    private let routes = Mutex<[(segments: [Substring?], recursive: Bool, method: HTTPRequest.Method)]>([])

    func record(_ descriptions: [Router<BasicRequestContext>.RouteDescription]) {
        let routes = descriptions.map { route in
            let parts = route.path.components.map(\.description)
            let recursive = parts.last == "**"
            let segments: [Substring?] = (recursive ? parts.dropLast() : parts[...]).map { part in
                part.hasPrefix(":") || part.hasPrefix("{") || part.contains("*") ? nil : Substring(part)
            }
            return (segments, recursive, route.method)
        }
        self.routes.withLock { $0 = routes }
    }

    /// The methods served at `path`, in a stable order; empty when no route has that path.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = self.routes.withLock { routes in
            routes.filter { route in
                guard route.recursive ? parts.count >= route.segments.count : parts.count == route.segments.count else { return false }
                return zip(route.segments, parts).allSatisfy { segment, part in segment == nil || segment == part }
            }.map(\.method)
        }
        var methods = Set(matching)
        // HEAD is served wherever GET is.
        if methods.contains(.get) { methods.insert(.head) }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }
}

/// Answers a request whose path exists under other methods with 405 and `Allow`, as HTTP asks.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = self.routes.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            throw APIError(
                .methodNotAllowed, code: "method_not_allowed", message: "\(request.uri.path) does not answer \(request.method); it answers \(allow)",
                allow: allow)
        }
    }
}
