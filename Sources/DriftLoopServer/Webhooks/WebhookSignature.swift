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

    /// Checks a signature; returns the MAC it carries. The signature must be exactly `sha256=` and 64 lowercase hex
    /// digits: one MAC has one spelling, so a replay cannot pass as a new event by re-encoding it (upper case, `+8`).
    @discardableResult
    static func verify(signature: String, timestamp: String, body: Data, secret: String, now: Date, maxSkew: Duration) throws(Failure) -> [UInt8] {
        let seconds = try Self.checkTimestamp(timestamp, now: now, maxSkew: maxSkew)
        guard let mac = Self.mac(in: signature) else { throw .malformedSignature }
        // Constant-time comparison inside Crypto.
        guard
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data("\(seconds).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        else {
            throw .mismatch
        }
        return mac
    }

    /// The timestamp as Unix seconds, when it is well formed and inside the replay window. Checked from the headers
    /// alone, before the body is read.
    static func checkTimestamp(_ timestamp: String, now: Date, maxSkew: Duration) throws(Failure) -> Int64 {
        guard !timestamp.isEmpty, timestamp.utf8.count <= 20, let seconds = Int64(timestamp) else { throw .malformedTimestamp }
        // A timestamp near Int64's ends must not overflow: anything past a century away is simply outside the window.
        let century: Int64 = 100 * 365 * 86_400
        let clamped = min(max(seconds, -century), Int64(now.timeIntervalSince1970) + century)
        let skew = Int64(now.timeIntervalSince1970) - clamped
        guard abs(skew) <= maxSkew.components.seconds else { throw .outsideWindow(skew: skew) }
        return seconds
    }

    /// The 32 bytes of `sha256=<64 lowercase hex>`, or nil for any other spelling.
    static func mac(in signature: String) -> [UInt8]? {
        let prefix = "sha256="
        guard signature.hasPrefix(prefix) else { return nil }
        let hex = Array(signature.utf8.dropFirst(prefix.utf8.count))
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.lowercaseHexValue(hex[index]), let low = Self.lowercaseHexValue(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func lowercaseHexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
