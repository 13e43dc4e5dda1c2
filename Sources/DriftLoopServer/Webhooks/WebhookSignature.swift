import Crypto
import Foundation

/// `X-Driftloop-Signature: sha256=<hex>`: HMAC-SHA256 with the source's secret over `<timestamp>.<body>`, where
/// `<timestamp>` is the `X-Driftloop-Timestamp` header (Unix seconds). Binding the time into the MAC, and refusing
/// times outside the replay window, makes a captured request useless later.
enum WebhookSignature {
    static let signatureHeader = "X-Driftloop-Signature"
    static let timestampHeader = "X-Driftloop-Timestamp"
    static let sourceHeader = "X-Driftloop-Source"

    enum Failure: Error {
        case malformedSignature
        case malformedTimestamp
        case outsideWindow(skew: Int64)
        case mismatch
    }

    static func sign(body: Data, timestamp: Int64, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func verify(signature: String, timestamp: String, body: Data, secret: String, now: Date, maxSkew: Duration) throws(Failure) {
        guard signature.hasPrefix("sha256="), let mac = Self.bytes(hex: String(signature.dropFirst("sha256=".count))), mac.count == 32 else {
            throw .malformedSignature
        }
        guard let seconds = Int64(timestamp.trimmingCharacters(in: .whitespaces)) else { throw .malformedTimestamp }
        // A timestamp near Int64's ends must not overflow: anything past a century away is simply outside the window.
        let century: Int64 = 100 * 365 * 86_400
        let clamped = min(max(seconds, -century), Int64(now.timeIntervalSince1970) + century)
        let skew = Int64(now.timeIntervalSince1970) - clamped
        guard abs(skew) <= maxSkew.components.seconds else { throw .outsideWindow(skew: skew) }
        // Constant-time comparison inside Crypto.
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data("\(seconds).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8))) else {
            throw .mismatch
        }
    }

    private static func bytes(hex: String) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
