/// One object as a listing or a HEAD describes it.
package struct ObjectInfo: Sendable, Hashable, CustomStringConvertible {
    package let bucket: String
    package let key: String
    /// Size in bytes.
    package let size: Int
    /// The entity tag without its quotes (an MD5 hex digest for single-part uploads); `nil` when not sent.
    package let etag: String?

    package init(bucket: String, key: String, size: Int, etag: String?) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.etag = etag
    }

    /// `s3://bucket/key`.
    package var location: String { "s3://\(self.bucket)/\(self.key)" }

    package var description: String { "\(self.location) (\(self.size) bytes)" }

    /// S3 sends ETags quoted (`"9b2c..."`); the quotes are HTTP syntax, not part of the tag.
    static func unquotedETag(_ value: String?) -> String? {
        guard var tag = value?.trimmingWhitespace, !tag.isEmpty else { return nil }
        if tag.hasPrefix("W/") { tag.removeFirst(2) }
        if tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") { tag = String(tag.dropFirst().dropLast()) }
        return tag
    }
}
