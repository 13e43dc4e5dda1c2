import Crypto
import Foundation
import Hummingbird

/// Checks `Authorization: Bearer <token>` on mutating routes. With no token configured, every caller is
/// allowed; the server refuses to start that way on a non-loopback address.
struct BearerTokenAuthorizer: Sendable {
    var token: String?

    func authorize(_ request: Request) throws {
        guard let token else { return }
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, code: "unauthorized", message: "missing `Authorization: Bearer <token>` header", field: "Authorization")
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else {
            throw APIError(.unauthorized, code: "unauthorized", message: "the Authorization header must be `Bearer <token>`", field: "Authorization")
        }
        // Compare digests so the time taken does not depend on how much of the token was right.
        let presented = SHA256.hash(data: Data(header.dropFirst(prefix.count).utf8))
        let expected = SHA256.hash(data: Data(token.utf8))
        guard Self.constantTimeEqual(Array(presented), Array(expected)) else {
            throw APIError(.unauthorized, code: "unauthorized", message: "the bearer token is not valid", field: "Authorization")
        }
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
