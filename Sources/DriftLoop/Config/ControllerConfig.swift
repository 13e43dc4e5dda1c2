import DriftData
import Foundation
import Logging

/// The controller's own settings, from `config.yaml`. Every key has a default, so an empty file works.
public struct ControllerConfig: Sendable {
    /// Address the API listens on. Default: `127.0.0.1:8080`.
    package var listen: ListenAddress
    /// Where the store, the built-in registry and trainer jobs live. Default: `data` beside the config file.
    package var dataDirectory: String
    /// Folder of `NAME.yaml` pipelines. Default: `pipelines` beside the config file.
    public var pipelinesDirectory: String
    /// Which cycle store to use. Default: SQLite at `<data_dir>/driftloop.sqlite`.
    package var store: StoreSettings
    /// Name of the environment variable holding the API bearer token. Default: `DRIFTLOOP_API_TOKEN`.
    package var apiTokenEnvironmentVariable: String
    /// Named tokens with roles. With any, every `/v1` route needs a token whose role covers it.
    package var apiTokens: [APITokenSettings] = []
    /// Log level. Default: `info`.
    package var logLevel: Logger.Level
    /// Largest request body accepted, in bytes. Default: 1 MiB.
    package var maxBodyBytes: Int
    /// Port of the built-in trainer started beside the API; 0 picks a free one. Default: 0.
    package var builtinTrainerPort: Int
    /// The API's address as trainers and people reach it, for links sent out (a Jenkins build's
    /// `{{cycle_url}}`). Default: `http://` plus `listen`, when its port is fixed.
    package var publicURL: String?
    /// Alertmanager routing and signed-webhook secrets.
    package var webhooks = WebhookSettings()
    /// Cycles running at once across all pipelines; more wait in arrival order. 0: no cap. Default: 0.
    package var maxConcurrentCycles = 0
    /// This replica's name and lease timing, for several replicas on one PostgreSQL store.
    package var replica = ReplicaSettings()
    /// How long finished cycles are kept; nil keeps them forever.
    package var retention: RetentionSettings?
    /// Where cycle events are sent (generic JSON webhooks, Slack).
    package var notifications: [NotificationSettings] = []
    /// First wait before a notification is sent again (then x4 each time). Not in config.yaml: tests shorten it.
    package var notificationRetryDelay: Duration = .seconds(1)
    /// Host names, besides `localhost`, the listen host and the `public_url` host, that requests may name in `Host`
    /// (a name behind a proxy or a Kubernetes Service). IP addresses are always accepted.
    package var allowedHosts: [String] = []
    /// Requests per second allowed to each API token; nil: no limit.
    package var rateLimit: RateLimitSettings?
    /// How long a request body may take to arrive once its handler reads it. Default: 10 s.
    package var bodyReadTimeout: Duration = .seconds(10)
    /// Where `s3://` data is and how to sign for it (over the AWS environment variables).
    package var s3 = S3Options()

    /// Every host name the API answers to (IP literals are accepted besides these).
    package var allowedHostNames: [String] {
        var names = self.allowedHosts + [self.listen.host]
        if let publicURL, let host = URLComponents(string: publicURL)?.host { names.append(host) }
        return names
    }

    /// `public_url`, or the listen address when it names a fixed port.
    package var effectivePublicURL: String? {
        self.publicURL ?? (self.listen.port == 0 ? nil : "http://\(self.listen.host):\(self.listen.port)")
    }

    package init(baseDirectory: String = FileManager.default.currentDirectoryPath) {
        self.listen = ListenAddress(host: "127.0.0.1", port: 8080)
        self.dataDirectory = PathResolution.resolve("data", relativeTo: baseDirectory)
        self.pipelinesDirectory = PathResolution.resolve("pipelines", relativeTo: baseDirectory)
        self.store = .sqlite(path: PathResolution.resolve("data/driftloop.sqlite", relativeTo: baseDirectory))
        self.apiTokenEnvironmentVariable = "DRIFTLOOP_API_TOKEN"
        self.logLevel = .info
        self.maxBodyBytes = 1 << 20
        self.builtinTrainerPort = 0
    }

    /// The API token from the environment, or `nil` when the variable is unset or empty.
    package func apiToken(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let token = environment[self.apiTokenEnvironmentVariable], !token.isEmpty else { return nil }
        return token
    }

    /// Loads `config.yaml`. A missing file gives every default, relative to the file's folder.
    package static func load(path: String) throws(DiagnosticsError) -> ControllerConfig {
        let absolute = PathResolution.resolve(path, relativeTo: FileManager.default.currentDirectoryPath)
        let base = (absolute as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: absolute) else {
            return ControllerConfig(baseDirectory: base)
        }
        let text: String
        do {
            text = try String(contentsOfFile: absolute, encoding: .utf8)
        } catch {
            throw DiagnosticsError([Diagnostic(SourceLocation(file: path, line: 1, column: 1), "cannot read the file: \(error.localizedDescription)")]
            )
        }
        return try Self.parse(text, file: path, baseDirectory: base)
    }

    static let keys: Set<String> = [
        "listen", "data_dir", "pipelines_dir", "store", "api_token_env", "log_level", "max_body_bytes", "builtin_trainer_port", "public_url",
        "webhooks", "max_concurrent_cycles", "notifications", "retention", "replica", "api_tokens", "allowed_hosts", "rate_limit",
        "body_read_timeout", "s3",
    ]

    /// Parses config text; relative paths are taken relative to `baseDirectory`.
    public static func parse(_ text: String, file: String, baseDirectory: String) throws(DiagnosticsError) -> ControllerConfig {
        let root = try YAMLNode.parse(text, file: file)
        var reader = YAMLReader()
        var config = ControllerConfig(baseDirectory: baseDirectory)
        guard reader.requireMapping(root, example: "listen: \"127.0.0.1:8080\"") else { throw DiagnosticsError(reader.diagnostics) }
        reader.rejectUnknownKeys(root, allowed: Self.keys)

        let listenNode = root.child("listen")
        if let text = reader.string(listenNode) {
            if let address = ListenAddress(parsing: text) {
                config.listen = address
            } else {
                reader.fail(listenNode, "`listen` must be HOST:PORT, for example \"127.0.0.1:8080\"")
            }
        }
        if let dataDir = reader.string(root.child("data_dir")) {
            config.dataDirectory = PathResolution.resolve(dataDir, relativeTo: baseDirectory)
        }
        if let pipelinesDir = reader.string(root.child("pipelines_dir")) {
            config.pipelinesDirectory = PathResolution.resolve(pipelinesDir, relativeTo: baseDirectory)
        }
        config.store = StoreSettingsReader.read(
            root.child("store"), dataDirectory: config.dataDirectory, baseDirectory: baseDirectory, reader: &reader)
        config.replica = ReplicaSettingsReader.read(root.child("replica"), reader: &reader)
        config.apiTokens = APITokenSettingsReader.read(root.child("api_tokens"), baseDirectory: baseDirectory, reader: &reader)
        if let variable = reader.string(root.child("api_token_env")) {
            config.apiTokenEnvironmentVariable = variable
        }
        let levelNode = root.child("log_level")
        if let level = reader.string(levelNode) {
            if let parsed = Logger.Level(rawValue: level.lowercased()) {
                config.logLevel = parsed
            } else {
                reader.fail(levelNode, "`log_level` must be one of trace, debug, info, notice, warning, error, critical")
            }
        }
        config.maxBodyBytes = reader.int(root.child("max_body_bytes"), default: config.maxBodyBytes, range: 1024...(1 << 30))
        config.builtinTrainerPort = reader.int(root.child("builtin_trainer_port"), default: 0, range: 0...65535)
        let publicURLNode = root.child("public_url")
        if let url = reader.string(publicURLNode) {
            if url.hasPrefix("http://") || url.hasPrefix("https://") {
                config.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            } else {
                reader.fail(publicURLNode, "`public_url` must be an http(s) URL, for example `https://driftloop.example.com`")
            }
        }
        config.webhooks = WebhookSettingsReader.read(root.child("webhooks"), reader: &reader)
        config.retention = RetentionSettingsReader.read(root.child("retention"), reader: &reader)
        config.notifications = NotificationSettingsReader.read(root.child("notifications"), reader: &reader)
        config.maxConcurrentCycles = reader.int(root.child("max_concurrent_cycles"), default: 0, range: 0...100_000)
        let hostsNode = root.child("allowed_hosts")
        for (index, host) in (reader.stringList(hostsNode) ?? []).enumerated() {
            if host.isEmpty || host.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
                reader.fail(
                    hostsNode.isSequence ? hostsNode.elements()[index] : hostsNode,
                    "`allowed_hosts` lists host names without scheme or port, for example `[driftloop.example.com]`")
            } else {
                config.allowedHosts.append(host)
            }
        }
        config.rateLimit = RateLimitSettingsReader.read(root.child("rate_limit"), reader: &reader)
        config.s3 = S3OptionsReader.read(root.child("s3"), baseDirectory: baseDirectory, reader: &reader)
        let timeoutNode = root.child("body_read_timeout")
        if let timeout = reader.duration(timeoutNode, default: nil) {
            if timeout <= .zero || timeout > .seconds(600) {
                reader.fail(timeoutNode, "`body_read_timeout` must be between 1ms and 10m, for example `10s`")
            } else {
                config.bodyReadTimeout = timeout
            }
        }
        if !reader.diagnostics.isEmpty { throw DiagnosticsError(reader.diagnostics) }
        return config
    }
}

/// A `HOST:PORT` pair.
package struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    package init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    package var isLoopback: Bool { ["127.0.0.1", "localhost", "::1"].contains(self.host) || self.host.hasPrefix("127.") }

    package var description: String { "\(self.host):\(self.port)" }
}

/// Relative paths in config and pipeline files are relative to the file that names them.
package enum PathResolution {
    package static func resolve(_ path: String, relativeTo base: String) -> String {
        if path.hasPrefix("/") || path.contains("://") { return path }
        return URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }
}
