import Foundation
import Logging
import PostgresNIO

@testable import DriftLoop

/// A real PostgreSQL for the store tests: `DRIFTLOOP_POSTGRES_URL` names it (CI starts one with
/// `scripts/postgres_server.sh`). Each test gets a database of its own, so tests run in parallel.
enum TestPostgres {
    static let skipMessage =
        "needs PostgreSQL: bash scripts/postgres_server.sh start && export DRIFTLOOP_POSTGRES_URL=$(bash scripts/postgres_server.sh url)"

    static var url: String? {
        ProcessInfo.processInfo.environment["DRIFTLOOP_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isAvailable: Bool { url != nil }

    /// Creates an empty database and returns its URL.
    static func freshDatabaseURL() async throws -> String {
        let base = try requireURL()
        let settings = try PostgresConnectionSettings(url: base)
        let name = "driftloop_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password, database: settings.database,
            tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: TestData.quietLogger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: TestData.quietLogger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        var components = URLComponents(string: base)!
        components.path = "/" + name
        return components.string!
    }

    static func openFreshStore() async throws -> PostgresCycleStore {
        try await PostgresCycleStore.open(settings: try PostgresConnectionSettings(url: try await freshDatabaseURL()), logger: TestData.quietLogger)
    }

    private static func requireURL() throws -> String {
        guard let url else { throw TestPostgresUnavailable() }
        return url
    }

    struct TestPostgresUnavailable: Error, CustomStringConvertible {
        var description: String { TestPostgres.skipMessage }
    }
}

/// Which store a shared test runs against.
enum TestStoreKind: String, Sendable, CustomStringConvertible {
    case sqlite, postgres
    var description: String { self.rawValue }

    func open(directory: TemporaryDirectory) async throws -> any CycleStore {
        switch self {
        case .sqlite: try SQLiteCycleStore(path: directory.file("driftloop.sqlite"))
        case .postgres: try await TestPostgres.openFreshStore()
        }
    }
}
