import DriftData
import DriftStats
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Reads a PostgreSQL query's rows as a drift table. Parameters are bound (`$n`), never pasted into the text; rows
/// stream, and more than the source's `max_rows` is an error rather than an unbounded read.
///
/// Column types follow what `pandas.read_sql` gives Evidently: integers stay integers until a NULL (then floats),
/// floats are floats, booleans categorical (left out when one is NULL), text text; `numeric` (Decimal objects), dates,
/// times, timestamps, UUIDs and JSON are left out unless a schema forces them.
enum SQLTableReader {
    static func read(
        _ settings: SQLSourceSettings, url: String, window: (start: Date, end: Date)?, schema: ColumnSchema, logger: Logger
    ) async throws -> DataTable {
        let (text, bindingNames) = SQLTemplate.compile(settings.query)
        var bindings = PostgresBindings()
        for name in bindingNames {
            switch name {
            case "window_start", "window_end":
                guard let window else {
                    throw SQLSourceError(
                        "the query uses {{\(name)}}, but the source declares no `window` and the pipeline no `schedule: {every: ...}`")
                }
                bindings.append(name == "window_start" ? window.start : window.end)
            default:
                guard let value = settings.params[name] else { throw SQLSourceError("the query uses {{\(name)}}, which `params` does not give") }
                bindings.append(value)
            }
        }
        let connectionSettings: PostgresConnectionSettings
        do {
            connectionSettings = try PostgresConnectionSettings(url: url)
        } catch {
            throw SQLSourceError("the PostgreSQL URL in \(settings.url) is not usable: \(error)")
        }
        let tls: PostgresConnection.Configuration.TLS
        switch connectionSettings.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        let configuration = PostgresConnection.Configuration(
            host: connectionSettings.host, port: connectionSettings.port, username: connectionSettings.username,
            password: connectionSettings.password,
            database: connectionSettings.database, tls: tls)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw DataSourceError(
                location: "\(connectionSettings)", message: "cannot connect: \(PostgresStoreError.describe(error))", isTransient: true)
        }
        // Closed on every path before the result or the error goes back.
        let rows: (builders: [TypedColumnBuilder], count: Int)
        do {
            rows = try await Self.rows(text: text, bindings: bindings, settings: settings, schema: schema, connection: connection, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
        let (builders, rowCount) = rows
        var columns: [TableColumn] = []
        var excluded: [ExcludedColumn] = []
        for builder in builders where schema.types[builder.name] != .ignored {
            switch builder.build() {
            case .column(let column): columns.append(column)
            case .excluded(let reason): excluded.append(reason)
            }
        }
        return DataTable(columns: columns, rowCount: rowCount, excluded: excluded)
    }

    private static func rows(
        text: String, bindings: PostgresBindings, settings: SQLSourceSettings, schema: ColumnSchema, connection: PostgresConnection, logger: Logger
    ) async throws -> (builders: [TypedColumnBuilder], count: Int) {
        var builders: [TypedColumnBuilder] = []
        var rowCount = 0
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: text, binds: bindings), logger: logger)
            for try await row in rows {
                rowCount += 1
                guard rowCount <= settings.maxRows else {
                    throw SQLSourceError(
                        "the query returned more than \(settings.maxRows) rows; narrow it (a shorter window, a WHERE clause) or raise `max_rows`")
                }
                if builders.isEmpty {
                    builders = row.map { cell in
                        var builder = TypedColumnBuilder(name: cell.columnName, forced: schema.types[cell.columnName])
                        if let reason = Self.exclusion(of: cell.dataType) { builder.exclude(reason: reason) }
                        return builder
                    }
                }
                for (index, cell) in row.enumerated() where index < builders.count {
                    builders[index].append(Self.value(of: cell))
                }
            }
        } catch let error as PSQLError {
            throw SQLSourceError("the query failed: \(PostgresStoreError.describe(error))")
        }
        return (builders, rowCount)
    }

    /// Why a column of this type is left out (the pandas dtype `read_sql` gives it is one Evidently does not test).
    static func exclusion(of type: PostgresDataType) -> String? {
        let suffix = "; force `num` or `cat` in a schema to test it"
        switch type {
        case .numeric: return "numeric (pandas object dtype holding Decimal, which Evidently leaves out)" + suffix
        case .date: return "date (pandas object dtype, which Evidently leaves out)" + suffix
        case .time: return "time of day (pandas object dtype, which Evidently leaves out)" + suffix
        case .timestamp, .timestamptz: return "timestamp (pandas datetime64, which Evidently leaves out)" + suffix
        case .uuid: return "uuid (pandas object dtype, which Evidently leaves out)" + suffix
        case .json, .jsonb: return "JSON (pandas object dtype, which Evidently leaves out)" + suffix
        default: return nil
        }
    }

    static func value(of cell: PostgresCell) -> TypedColumnBuilder.Value {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return (try? cell.decode(Int64.self)).map { .integer($0) } ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map { .double($0) } ?? .null
        case .numeric:
            return (try? cell.decode(Decimal.self)).map { .double(NSDecimalNumber(decimal: $0).doubleValue) } ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .bool($0) } ?? .null
        case .date, .timestamp, .timestamptz:
            return (try? cell.decode(Date.self)).map { .text(ISO8601DateFormatter().string(from: $0)) } ?? .null
        default:
            return (try? cell.decode(String.self)).map { .text($0) } ?? .null
        }
    }
}

/// A query source that cannot be read as declared; says what to change.
package struct SQLSourceError: Error, Sendable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
