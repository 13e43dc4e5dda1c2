import Foundation
import Hummingbird

/// Refuses requests whose `Host` names a server other than this one. A web page can make a browser on this machine
/// send requests to the loopback API under the page's own name (DNS rebinding): `Host: rebind.evil.example`. Such a
/// request passes the cross-origin guard, since its `Origin` matches its `Host`, so the name itself is checked, with
/// or without API authentication.
///
/// Allowed: IP literals (a rebound name never is one), `localhost`, the listen host, the `public_url` host and
/// `allowed_hosts`. Health checks are always answered, since probes and load balancers use whatever name they know.
struct HostGuard: RouterMiddleware {
    typealias Context = BasicRequestContext
    /// Lowercase host names, without port or trailing dot.
    let allowedNames: Set<String>

    init(allowedNames: some Sequence<String>) {
        var names: Set<String> = ["localhost"]
        for name in allowedNames { names.insert(Self.normalized(name)) }
        self.allowedNames = names
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path != "/healthz", path != "/readyz", let authority = request.head.authority, !self.allows(authority: authority) {
            throw APIError(
                .misdirectedRequest, code: "host_not_allowed",
                message:
                    "this server does not answer to the host name in the Host header; use its address, or add the name to `allowed_hosts` in config.yaml",
                field: "Host")
        }
        return try await next(request, context)
    }

    func allows(authority: String) -> Bool {
        let host = Self.host(of: authority)
        if Self.isIPLiteral(host) { return true }
        return self.allowedNames.contains(Self.normalized(host))
    }

    /// The host part of `host[:port]` or `[v6]:port`.
    static func host(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        if let colon = authority.lastIndex(of: ":"), authority.firstIndex(of: ":") == colon { return String(authority[..<colon]) }
        return authority
    }

    static func normalized(_ name: String) -> String {
        var name = name.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        return name
    }

    static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
