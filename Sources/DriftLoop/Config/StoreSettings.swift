import Foundation

/// Which cycle store to use (`store:` in config.yaml).
package enum StoreSettings: Sendable, Equatable {
    case sqlite(path: String)
    /// The URL holds a password, so config names where it is (`url_env`/`url_file`), never the URL itself.
    case postgres(url: SecretReference, maxConnections: Int)
}

enum StoreSettingsReader {
    static let example = "`store: {kind: sqlite, path: data/driftloop.sqlite}` or `store: {kind: postgres, url_env: DRIFTLOOP_POSTGRES_URL}`"

    static func read(_ node: YAMLNode, dataDirectory: String, baseDirectory: String, reader: inout YAMLReader) -> StoreSettings {
        let defaultStore = StoreSettings.sqlite(path: (dataDirectory as NSString).appendingPathComponent("driftloop.sqlite"))
        if node.isMissing { return defaultStore }
        if let kind = node.scalarText {
            // Short form: `store: sqlite`.
            if kind != "sqlite" { reader.fail(node, "`store: \(kind)` is not a store; write `store: sqlite`, or \(Self.example)") }
            return defaultStore
        }
        guard node.isMapping else {
            reader.fail(node, "`store` must be \(Self.example)")
            return defaultStore
        }
        let kindNode = node.child("kind")
        switch reader.string(kindNode, default: "sqlite") ?? "sqlite" {
        case "sqlite":
            reader.rejectUnknownKeys(node, allowed: ["kind", "path"])
            guard let path = reader.string(node.child("path")) else { return defaultStore }
            return .sqlite(path: PathResolution.resolve(path, relativeTo: baseDirectory))
        case "postgres", "postgresql":
            reader.rejectUnknownKeys(node, allowed: ["kind", "url_env", "url_file", "max_connections"])
            let url: SecretReference
            if let variable = reader.string(node.child("url_env")) {
                url = .environment(variable)
            } else if let path = reader.string(node.child("url_file")) {
                url = .file(PathResolution.resolve(path, relativeTo: baseDirectory))
            } else {
                reader.fail(
                    node, "a postgres store needs `url_env: VARIABLE` or `url_file: PATH` holding postgres://USER:PASSWORD@HOST:PORT/DATABASE")
                return defaultStore
            }
            return .postgres(url: url, maxConnections: reader.int(node.child("max_connections"), default: 20, range: 2...1000))
        case let other:
            reader.fail(kindNode, "`store.kind: \(other)` must be `sqlite` or `postgres`")
            return defaultStore
        }
    }
}
