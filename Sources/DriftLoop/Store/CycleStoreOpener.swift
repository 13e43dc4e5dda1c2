import Foundation
import Logging

/// Opens the store config.yaml names.
package enum CycleStoreOpener {
    package static func open(_ settings: StoreSettings, environment: [String: String], logger: Logger) async throws -> any CycleStore {
        switch settings {
        case .sqlite(let path):
            do {
                return try SQLiteCycleStore(path: path)
            } catch {
                throw StoreOpenError("cannot open the SQLite store at \(path): \(error)")
            }
        case .postgres(let reference, let maxConnections):
            guard let url = reference.resolve(environment: environment) else {
                throw StoreOpenError("the PostgreSQL URL (\(reference)) is not set; set it to postgres://USER:PASSWORD@HOST:PORT/DATABASE")
            }
            do {
                let connection = try PostgresConnectionSettings(url: url, maxConnections: maxConnections)
                logger.info("opening the PostgreSQL store", metadata: ["store": "\(connection)"])
                return try await PostgresCycleStore.open(settings: connection, logger: logger)
            } catch {
                throw StoreOpenError("cannot open the PostgreSQL store (\(reference)): \(error)")
            }
        }
    }
}

/// The configured store cannot be opened; the message says why and what to change.
package struct StoreOpenError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { self.message }
}
