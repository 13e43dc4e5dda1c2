import Crypto
import DriftLoop
import Foundation
import Hummingbird

/// Checks `Authorization: Bearer <token>` against the configured tokens and their roles.
///
/// With no token configured every caller is allowed (the server refuses to start that way on a non-loopback
/// address). The single `api_token_env` token may do everything; reads stay open unless named `api_tokens` are
/// configured, in which case every `/v1` route needs a token whose role covers it. With a rate limit, each token
/// has a bucket of its own.
struct BearerTokenAuthorizer: Sendable, CustomStringConvertible {
    struct Token: Sendable {
        var name: String
        var role: APIRole
        var digest: [UInt8]
    }

    private let tokens: [Token]
    private let readsNeedToken: Bool
    private let rateLimiter: TokenRateLimiter?

    init(tokens: [(name: String, role: APIRole, token: String)], readsNeedToken: Bool, rateLimit: RateLimitSettings? = nil) {
        self.tokens = tokens.map { Token(name: $0.name, role: $0.role, digest: Array(SHA256.hash(data: Data($0.token.utf8)))) }
        self.readsNeedToken = readsNeedToken
        self.rateLimiter = rateLimit.map(TokenRateLimiter.init)
    }

    /// The legacy single token: full rights, reads open.
    init(token: String?) {
        self.init(tokens: token.map { [(name: "api", role: APIRole.approve, token: $0)] } ?? [], readsNeedToken: false)
    }

    var isOpen: Bool { self.tokens.isEmpty }

    /// Names the tokens and roles, never their digests: service descriptions are logged at debug level.
    var description: String {
        "BearerTokenAuthorizer(tokens: [\(self.tokens.map { "\($0.name): \($0.role.rawValue)" }.joined(separator: ", "))])"
    }

    /// Returns the name of the token that was presented (nil when none was needed), or throws 401/403/429.
    @discardableResult
    func authorize(_ request: Request, role: APIRole) throws -> String? {
        guard !self.tokens.isEmpty, role > .read || self.readsNeedToken else { return nil }
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, code: "unauthorized", message: "missing `Authorization: Bearer <token>` header", field: "Authorization")
        }
        // The scheme is case-insensitive (RFC 9110 section 11.1); the token is what follows the spaces after it.
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, code: "unauthorized", message: "the Authorization header must be `Bearer <token>`", field: "Authorization")
        }
        // Compare digests, and every one of them, so the time taken depends neither on how much of a token was
        // right nor on which token matched.
        let presented = Array(SHA256.hash(data: Data(parts[1].trimmingCharacters(in: .whitespaces).utf8)))
        var matched: Token?
        for token in self.tokens where Self.constantTimeEqual(presented, token.digest) { matched = token }
        guard let matched else {
            throw APIError(.unauthorized, code: "unauthorized", message: "the bearer token is not valid", field: "Authorization")
        }
        if let rateLimiter, let wait = rateLimiter.take(matched.name) {
            let seconds = max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
            throw APIError(
                .tooManyRequests, code: "rate_limited",
                message: "token `\(matched.name)` is over its rate limit (\(rateLimiter.settings)); retry in \(seconds) s", field: "Authorization",
                retryAfterSeconds: seconds)
        }
        guard matched.role >= role else {
            throw APIError(
                .forbidden, code: "forbidden",
                message: "token `\(matched.name)` has role \(matched.role.rawValue); this route needs \(role.rawValue) or above",
                field: "Authorization")
        }
        return matched.name
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
