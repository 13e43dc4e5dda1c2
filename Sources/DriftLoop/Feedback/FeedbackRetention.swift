/// How much production feedback a pipeline keeps (`feedback_retention:` in its YAML). Without it every record is kept,
/// and an inference service posting all its traffic grows the store without bound.
package struct FeedbackRetention: Sendable, Equatable {
    /// Records received longer ago than this are deleted.
    package var maxAge: Duration?
    /// At most this many records are kept, the newest.
    package var maxRecords: Int?

    package init(maxAge: Duration?, maxRecords: Int?) {
        self.maxAge = maxAge
        self.maxRecords = maxRecords
    }
}

enum FeedbackRetentionReader {
    static let example = "feedback_retention: {max_age: 30d, max_records: 1000000}"

    static func read(_ node: YAMLNode, reader: inout YAMLReader) -> FeedbackRetention? {
        guard !node.isMissing else { return nil }
        guard reader.requireMapping(node, example: Self.example) else { return nil }
        reader.rejectUnknownKeys(node, allowed: ["max_age", "max_records"])
        let maxAge = reader.duration(node.child("max_age"), default: nil)
        let recordsNode = node.child("max_records")
        let maxRecords: Int? = recordsNode.isMissing ? nil : reader.int(recordsNode, default: 1_000_000, range: 1...1_000_000_000)
        if maxAge == nil, maxRecords == nil, node.child("max_age").isMissing {
            reader.fail(node, "`feedback_retention` needs `max_age`, `max_records` or both, for example `\(Self.example)`")
            return nil
        }
        return FeedbackRetention(maxAge: maxAge, maxRecords: maxRecords)
    }
}
