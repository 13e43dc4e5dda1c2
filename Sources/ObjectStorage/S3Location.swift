/// An `s3://` location: one object, every object under a prefix, or the objects a glob matches.
///
///     s3://bucket/key                                   one object
///     s3://bucket/prefix/    s3://bucket                everything under the prefix (or the whole bucket)
///     s3://bucket/logs/date=2026-12-0*/part-*.parquet   a glob: * ? [...] in the key, never across '/'
///
/// A key containing a literal `*`, `?`, `[` or `\` is written with a `\` before it.
package struct S3Location: Sendable, Hashable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
        case object(key: String)
        case prefix(String)
        case glob(GlobPattern)
    }

    package let bucket: String
    package let kind: Kind
    /// The text this was parsed from.
    package let text: String

    package init(parsing text: String) throws(ObjectStorageError) {
        self.text = text
        guard text.hasPrefix("s3://") else {
            throw .invalidLocation(text: text, problem: "it does not start with s3://")
        }
        let rest = text.dropFirst("s3://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let bucket = String(rest[..<slash])
        try Self.validateBucket(bucket, text: text)
        self.bucket = bucket
        let key = slash == rest.endIndex ? "" : String(rest[rest.index(after: slash)...])
        let pattern: GlobPattern
        do {
            pattern = try GlobPattern(parsing: key)
        } catch {
            throw .invalidLocation(text: text, problem: "the key pattern has \(error.problem)")
        }
        if pattern.hasWildcards {
            self.kind = .glob(pattern)
        } else if key.isEmpty || key.hasSuffix("/") {
            self.kind = .prefix(pattern.literalPrefix)
        } else {
            self.kind = .object(key: pattern.literalPrefix)
        }
    }

    /// What to list to find the objects: the key, the prefix, or the glob's text before its first wildcard.
    package var listingPrefix: String {
        switch self.kind {
        case .object(let key): key
        case .prefix(let prefix): prefix
        case .glob(let pattern): pattern.literalPrefix
        }
    }

    package var description: String { self.text }

    /// S3's naming rules, checked here so a typo fails with the text in hand rather than as a 400 later.
    private static func validateBucket(_ bucket: String, text: String) throws(ObjectStorageError) {
        if bucket.isEmpty { throw .invalidLocation(text: text, problem: "the bucket name is empty") }
        if bucket.contains(where: { GlobPattern.wildcardCharacters.contains($0) }) {
            throw .invalidLocation(text: text, problem: "the bucket name '\(bucket)' has a wildcard; globs are allowed in the key only")
        }
        guard (3...63).contains(bucket.count) else {
            throw .invalidLocation(text: text, problem: "the bucket name '\(bucket)' must be 3 to 63 characters long")
        }
        let allowed = bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
        let edgesAlphanumeric = [bucket.first!, bucket.last!].allSatisfy { $0.isLowercase || $0.isNumber }
        guard allowed, edgesAlphanumeric else {
            throw .invalidLocation(
                text: text,
                problem: "the bucket name '\(bucket)' may hold only lower-case letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit")
        }
    }
}
