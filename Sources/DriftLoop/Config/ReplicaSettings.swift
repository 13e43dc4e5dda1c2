import Foundation

/// How this controller shares pipelines with other replicas on one PostgreSQL store (`replica:` in config.yaml).
/// Ignored with SQLite, which one controller owns alone.
package struct ReplicaSettings: Sendable, Equatable {
    /// This replica's name in the leases. Default: host name and listen port, so a restarted replica takes its own
    /// leases back at once instead of waiting for them to expire.
    package var id: String?
    /// How long a lease lasts without renewal: the longest a dead replica's pipelines wait for another one.
    package var leaseTTL: Duration = .seconds(10)
    /// How often leases are renewed and cycles started by other replicas are picked up.
    package var poll: Duration = .milliseconds(500)

    package init() {}
}

enum ReplicaSettingsReader {
    static func read(_ node: YAMLNode, reader: inout YAMLReader) -> ReplicaSettings {
        var settings = ReplicaSettings()
        guard !node.isMissing, reader.requireMapping(node, example: "replica: {id: controller-a, lease_ttl: 10s, poll: 500ms}") else {
            return settings
        }
        reader.rejectUnknownKeys(node, allowed: ["id", "lease_ttl", "poll"])
        settings.id = reader.string(node.child("id"))
        let ttlNode = node.child("lease_ttl")
        settings.leaseTTL = reader.duration(ttlNode, default: settings.leaseTTL) ?? settings.leaseTTL
        settings.poll = reader.duration(node.child("poll"), default: settings.poll) ?? settings.poll
        if settings.leaseTTL < settings.poll * 3 {
            reader.fail(ttlNode, "`replica.lease_ttl` must be at least 3 times `replica.poll`, so a lease is renewed before it expires")
        }
        return settings
    }
}
