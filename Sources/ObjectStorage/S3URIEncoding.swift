/// Percent-encoding as S3 and Signature Version 4 define it.
///
/// Every UTF-8 byte except the unreserved `A-Z a-z 0-9 - . _ ~` becomes `%XX` (upper-case hex), so a space is
/// `%20`, never `+`. libcurl 7.88 signs the path and query exactly as it sends them, so what this produces is
/// both the wire form and the canonical form the server recomputes.
enum S3URIEncoding {
    /// An object key in a path: each segment encoded, `/` kept.
    static func encodePath(_ key: String) -> String {
        Self.encode(key, keeping: UInt8(ascii: "/"))
    }

    /// A query parameter name or value: `/` encoded too.
    static func encodeQueryComponent(_ value: String) -> String {
        Self.encode(value, keeping: nil)
    }

    /// A query string in canonical order: parameters sorted by encoded name (then value), each `name=value`.
    static func canonicalQuery(_ parameters: [(name: String, value: String)]) -> String {
        parameters
            .map { (self.encodeQueryComponent($0.name), self.encodeQueryComponent($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    private static func encode(_ text: String, keeping extra: UInt8?) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if Self.isUnreserved(byte) || byte == extra {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + Self.hexDigits[Int(byte >> 4)] + Self.hexDigits[Int(byte & 0x0F)]
            }
        }
        return encoded
    }

    private static let hexDigits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
