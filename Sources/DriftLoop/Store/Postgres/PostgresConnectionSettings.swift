import Foundation
import PostgresNIO

/// Where and how to reach PostgreSQL, read from a `postgres://user:password@host:port/database?sslmode=…` URL.
///
/// The URL holds the password, so it comes from the environment or a file (`store.url_env`/`store.url_file`),
/// and `description` never shows the password.
public struct PostgresConnectionSettings: Sendable, CustomStringConvertible {
    package enum TLSMode: String, Sendable { case disable, prefer, require }

    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String?
    package var tls: TLSMode
    package var maxConnections: Int
    package var connectTimeout: Duration

    public init(url text: String, maxConnections: Int = 20, connectTimeout: Duration = .seconds(30)) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme, scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresStoreError.badURL("it must look like postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = url.host, !host.isEmpty else {
            throw PostgresStoreError.badURL("it has no host; for example postgres://driftloop@127.0.0.1:5432/driftloop")
        }
        guard let user = url.user, !user.isEmpty else {
            throw PostgresStoreError.badURL("it has no user name; for example postgres://driftloop@127.0.0.1:5432/driftloop")
        }
        self.host = host
        self.port = url.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = url.password.map { $0.removingPercentEncoding ?? $0 }
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        self.database = path.isEmpty ? nil : path
        let mode = url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        switch mode {
        case "disable": self.tls = .disable
        case "prefer", "allow": self.tls = .prefer
        case "require", "verify-ca", "verify-full": self.tls = .require
        default: throw PostgresStoreError.badURL("sslmode=\(mode) is not one of disable, prefer, require, verify-full")
        }
        self.maxConnections = maxConnections
        self.connectTimeout = connectTimeout
    }

    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch self.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: self.host, port: self.port, username: self.username, password: self.password, database: self.database, tls: tls)
        configuration.options.maximumConnections = self.maxConnections
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    public var description: String {
        "postgres://\(self.username)@\(self.host):\(self.port)/\(self.database ?? "")"
    }
}
