import Foundation

/// Where a table is: a local file, an http(s) URL, or S3 objects (one key, a prefix ending in `/`, or a glob).
package enum DataLocation: Sendable, Equatable, CustomStringConvertible {
    case file(path: String)
    case http(url: String)
    case s3(bucket: String, key: String)

    /// Reads a location as users write it: a path (absolute or relative), `file://...`, `http(s)://...`, `s3://bucket/key`.
    package init(parsing text: String) throws(DataLocationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw DataLocationError(text: text, problem: "is empty") }
        if trimmed.hasPrefix("s3://") {
            let rest = trimmed.dropFirst("s3://".count)
            guard let slash = rest.firstIndex(of: "/"), rest.startIndex != slash else {
                throw DataLocationError(
                    text: text, problem: "names no object: write s3://BUCKET/KEY, s3://BUCKET/PREFIX/ or s3://BUCKET/PREFIX/*.parquet")
            }
            self = .s3(bucket: String(rest[..<slash]), key: String(rest[rest.index(after: slash)...]))
        } else if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://") {
            self = .http(url: trimmed)
        } else if trimmed.hasPrefix("file://") {
            guard let url = URL(string: trimmed), url.isFileURL else { throw DataLocationError(text: text, problem: "is not a valid file:// URL") }
            self = .file(path: url.path)
        } else if let scheme = trimmed.range(of: "://") {
            throw DataLocationError(
                text: text,
                problem: "uses the scheme `\(trimmed[..<scheme.lowerBound])`; driftloop reads paths, file://, http(s):// and s3:// locations")
        } else {
            self = .file(path: trimmed)
        }
    }

    package var description: String {
        switch self {
        case .file(let path): path
        case .http(let url): url
        case .s3(let bucket, let key): "s3://\(bucket)/\(key)"
        }
    }

    /// The last path component, for telling the format by extension.
    var fileName: String {
        switch self {
        case .file(let path): (path as NSString).lastPathComponent
        case .http(let url): URL(string: url).map { $0.lastPathComponent } ?? url
        case .s3(_, let key): (key as NSString).lastPathComponent
        }
    }
}

/// A location that cannot be read as one; says what form is expected.
package struct DataLocationError: Error, Sendable, CustomStringConvertible {
    package var text: String
    package var problem: String
    package var description: String { "data location `\(self.text)` \(self.problem)" }
}
