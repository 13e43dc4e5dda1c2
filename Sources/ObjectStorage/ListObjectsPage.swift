import Foundation

/// One page of a ListObjectsV2 answer (`<ListBucketResult>`).
struct ListObjectsPage: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        let key: String
        let size: Int
        let etag: String?
    }

    let entries: [Entry]
    let isTruncated: Bool
    /// What to send as `continuation-token` for the next page; present when `isTruncated`.
    let nextContinuationToken: String?

    /// Throws a description of what is wrong with the document.
    static func parse(_ body: Data) throws(ListObjectsParseError) -> ListObjectsPage {
        guard let root = XMLTree.parse(body) else { throw ListObjectsParseError(problem: "the body is not well-formed XML") }
        guard root.name == "ListBucketResult" else {
            throw ListObjectsParseError(problem: "expected <ListBucketResult>, got <\(root.name)>")
        }
        var entries: [Entry] = []
        for contents in root.children("Contents") {
            guard let key = contents.text("Key") else { throw ListObjectsParseError(problem: "a <Contents> without <Key>") }
            guard let sizeText = contents.text("Size"), let size = Int(sizeText.trimmingWhitespace), size >= 0 else {
                throw ListObjectsParseError(problem: "<Contents> for '\(key)' has no valid <Size>")
            }
            entries.append(Entry(key: key, size: size, etag: ObjectInfo.unquotedETag(contents.text("ETag"))))
        }
        let truncated = root.text("IsTruncated")?.trimmingWhitespace.lowercased() == "true"
        let token = root.text("NextContinuationToken")?.trimmingWhitespace
        return ListObjectsPage(entries: entries, isTruncated: truncated, nextContinuationToken: token?.isEmpty == true ? nil : token)
    }
}

struct ListObjectsParseError: Error {
    let problem: String
}
