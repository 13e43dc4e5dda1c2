/// How long finished cycles are kept (`retention:` in config.yaml). Unset: forever.
package struct RetentionSettings: Sendable, Equatable {
    /// Finished cycles that ended longer ago than this are deleted.
    package var maxAge: Duration
    /// Each pipeline keeps at least this many of its most recent finished cycles, whatever their age.
    package var keepLatest: Int
    /// How often the controller prunes.
    package var interval: Duration
}

enum RetentionSettingsReader {
    static func read(_ node: YAMLNode, reader: inout YAMLReader) -> RetentionSettings? {
        guard !node.isMissing else { return nil }
        guard reader.requireMapping(node, example: "retention: {max_age: 90d, keep_latest: 20}") else { return nil }
        reader.rejectUnknownKeys(node, allowed: ["max_age", "keep_latest", "interval"])
        let ageNode = node.child("max_age")
        guard let age = reader.duration(ageNode, default: nil) else {
            if ageNode.isMissing { reader.fail(node, "`retention.max_age` is required, for example `max_age: 90d`") }
            return nil
        }
        return RetentionSettings(
            maxAge: age, keepLatest: reader.int(node.child("keep_latest"), default: 20, range: 0...1_000_000),
            interval: reader.duration(node.child("interval"), default: .seconds(3600)) ?? .seconds(3600))
    }
}
