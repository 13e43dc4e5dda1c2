/// A `Content-Range` header: `bytes 0-99/1234`, `bytes 0-99/*` or, on a 416, `bytes */1234`.
struct ContentRange: Sendable, Equatable {
    /// The bytes sent; `nil` for `bytes */size`.
    let range: Range<Int>?
    /// The object's full size; `nil` when the server wrote `*`.
    let completeLength: Int?

    static func parse(_ header: String) -> ContentRange? {
        let value = header.trimmingWhitespace
        guard value.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = value.dropFirst("bytes ".count).trimmingWhitespace
        guard let slash = spec.firstIndex(of: "/") else { return nil }
        let rangePart = spec[..<slash]
        let lengthPart = spec[spec.index(after: slash)...]
        let completeLength: Int?
        if lengthPart == "*" {
            completeLength = nil
        } else {
            guard let length = Int(lengthPart), length >= 0 else { return nil }
            completeLength = length
        }
        if rangePart == "*" { return ContentRange(range: nil, completeLength: completeLength) }
        let bounds = rangePart.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let first = Int(bounds[0]), let last = Int(bounds[1]), first >= 0, last >= first else { return nil }
        if let completeLength, last >= completeLength { return nil }
        return ContentRange(range: first..<(last + 1), completeLength: completeLength)
    }
}
