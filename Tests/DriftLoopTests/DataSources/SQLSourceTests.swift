import DriftStats
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import DriftLoop

/// A PostgreSQL query as a drift check's data, against the real server CI starts.
@Suite(.enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipMessage)))
struct SQLSourceTests {
    static let now = Date(timeIntervalSince1970: 1_900_000_000)

    /// A fresh database with `predictions`: 30 rows in the last day for model `o'brien "x"`, 10 older ones, 5 for
    /// another model.
    static func database() async throws -> String {
        let url = try await TestPostgres.freshDatabaseURL()
        let settings = try PostgresConnectionSettings(url: url)
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: settings.host, port: settings.port, username: settings.username, password: settings.password, database: settings.database,
                tls: .disable),
            id: 1, logger: TestData.quietLogger)
        try await connection.query(
            """
            CREATE TABLE predictions (at TIMESTAMPTZ NOT NULL, model TEXT NOT NULL, age INT, score DOUBLE PRECISION, plan TEXT,
                                      amount NUMERIC(10,2), active BOOLEAN)
            """, logger: TestData.quietLogger)
        let quoted = #"o'brien "x""#
        for index in 0..<45 {
            let at = Self.now.addingTimeInterval(index < 30 ? -Double(index) * 600 - 60 : -Double(index) * 7200 - 86_400)
            let model = index < 40 ? quoted : "other"
            let age: Int32? = index % 7 == 0 ? nil : Int32(20 + index)
            try await connection.query(
                "INSERT INTO predictions VALUES (\(at), \(model), \(age), \(Double(index) / 10), \(index % 2 == 0 ? "basic" : "pro"), \(Decimal(index)), \(index % 3 == 0))",
                logger: TestData.quietLogger)
        }
        try await connection.close()
        return url
    }

    static func pipeline(query: String, params: [String: String], window: String = "24h", maxRows: Int = 1000) throws -> PipelineDefinition {
        let paramsText = params.map {
            "\($0.key): \"\($0.value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        }.joined(separator: ", ")
        let data = """
            data:
              reference: \(TestData.reference)
              current:
                postgres: {url_env: TEST_WAREHOUSE_URL}
                query: "\(query)"
                params: {\(paramsText)}
                window: \(window)
                max_rows: \(maxRows)
              train: {current: \(TestData.current)}
              target: churned
            """
        return try TestData.pipeline(DataSourceDeclarationTests.yaml(data: data), directory: TemporaryDirectory())
    }

    @Test func aQueryWithATimeWindowAndAQuotedParameterIsBoundNotPasted() async throws {
        let url = try await Self.database()
        let pipeline = try Self.pipeline(
            query:
                "SELECT age, score, plan, amount, active FROM predictions WHERE model = {{model}} AND at >= {{window_start}} AND at < {{window_end}}",
            params: ["model": #"o'brien "x""#])
        let loader = DataLoader(client: .init(), environment: ["TEST_WAREHOUSE_URL": url], logger: TestData.quietLogger)
        let table = try await loader.table(pipeline.data.currentSource, pipeline: pipeline, at: Self.now)
        #expect(table.rowCount == 30, "the last day's rows of that model only")
        #expect(table["age"]?.storage == .float, "an integer column with a NULL is float64, as pandas.read_sql makes it")
        #expect(table["score"]?.storage == .float)
        #expect(table["plan"]?.storage == .string)
        #expect(table["plan"].map { ColumnTyping.type(of: $0) } == .categorical)
        #expect(table.excluded.map(\.column).sorted() == ["amount"], "numeric is Decimal objects to pandas: left out")
        #expect(table["active"]?.storage == .boolean)
        #expect(table.source?.format == "postgres")

        // A value that is SQL in disguise is only ever a value.
        let hostile = try Self.pipeline(
            query: "SELECT age FROM predictions WHERE model = {{model}} AND at >= {{window_start}} AND at < {{window_end}}",
            params: ["model": "x'; DROP TABLE predictions; --"])
        let none = try await loader.table(hostile.data.currentSource, pipeline: hostile, at: Self.now)
        #expect(none.rowCount == 0)
        let still = try await loader.table(pipeline.data.currentSource, pipeline: pipeline, at: Self.now)
        #expect(still.rowCount == 30, "the table is still there")
    }

    @Test func moreRowsThanTheCapIsAClearError() async throws {
        let url = try await Self.database()
        let pipeline = try Self.pipeline(query: "SELECT age FROM predictions WHERE model <> {{model}}", params: ["model": "none"], maxRows: 10)
        let loader = DataLoader(client: .init(), environment: ["TEST_WAREHOUSE_URL": url], logger: TestData.quietLogger)
        await #expect {
            _ = try await loader.table(pipeline.data.currentSource, pipeline: pipeline, at: Self.now)
        } throws: { error in
            "\(error)".contains("more than 10 rows") && "\(error)".contains("max_rows")
        }
    }

    @Test func aBrokenQueryOrAMissingURLSaysWhatToFix() async throws {
        let url = try await Self.database()
        let pipeline = try Self.pipeline(query: "SELECT nope FROM predictions WHERE model = {{model}}", params: ["model": "x"])
        let loader = DataLoader(client: .init(), environment: ["TEST_WAREHOUSE_URL": url], logger: TestData.quietLogger)
        await #expect {
            _ = try await loader.table(pipeline.data.currentSource, pipeline: pipeline, at: Self.now)
        } throws: { "\($0)".contains("the query failed") && "\($0)".contains("nope") }
        let unset = DataLoader(client: .init(), environment: [:], logger: TestData.quietLogger)
        await #expect {
            _ = try await unset.table(pipeline.data.currentSource, pipeline: pipeline, at: Self.now)
        } throws: { "\($0)".contains("TEST_WAREHOUSE_URL") && "\($0)".contains("not set") }
    }
}
