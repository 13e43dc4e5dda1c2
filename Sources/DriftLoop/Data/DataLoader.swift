import CurlHTTP
import DriftData
import DriftStats
import Foundation
import Logging

/// Fetches a pipeline's data from wherever it is declared: a location (a path, an http(s) URL or S3 objects, as
/// CSV or Parquet), a PostgreSQL query, or the recent production records in the store.
public struct DataLoader: Sendable {
    let client: CurlHTTPClient
    /// Where posted feedback is kept, for `recent` sources; nil where there is no store (tests of files only).
    let feedback: (any FeedbackStore)?
    let environment: [String: String]
    let s3: S3Options
    let logger: Logger

    public init(
        client: CurlHTTPClient, feedback: (any FeedbackStore)? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        s3: S3Options = S3Options(), logger: Logger = Logger(label: "driftloop.data")
    ) {
        self.client = client
        self.feedback = feedback
        self.environment = environment
        self.s3 = s3
        self.logger = logger
    }

    /// The table at `location`, keeping `columns` (nil: all), with the types `schema` forces.
    package func table(_ location: String, columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()) async throws -> DataTable {
        try await TableLoader(http: self.client, s3: self.s3, environment: self.environment).load(location, columns: columns, schema: schema)
    }

    /// One side of a pipeline's data as a drift check at `time` reads it.
    package func table(
        _ source: DataSourceDeclaration, pipeline: PipelineDefinition, at time: Date, columns: [String]? = nil, schema: ColumnSchema = ColumnSchema()
    ) async throws -> DataTable {
        switch source {
        case .location(let location):
            return try await self.table(location, columns: columns, schema: schema)
        case .postgres(let settings):
            guard let url = settings.url.resolve(environment: self.environment) else {
                throw SQLSourceError(
                    "the PostgreSQL URL of pipeline `\(pipeline.name)` is not set (\(settings.url)); set it to postgres://USER:PASSWORD@HOST:PORT/DATABASE"
                )
            }
            let length = settings.window ?? Self.scheduleInterval(pipeline.schedule)
            var table = try await SQLTableReader.read(
                settings, url: url, window: length.map { (time.addingTimeInterval(-$0.seconds), time) }, schema: schema, logger: self.logger)
            table.source = DataSourceSummary(source: "postgres query (\(settings.url))", format: "postgres", rows: table.rowCount)
            return Self.keeping(columns, of: table)
        case .recentFeedback(let window):
            guard let feedback = self.feedback else {
                throw DataSourceError(
                    location: source.description,
                    message: "recent feedback is read from the controller's store; run the check inside `driftloop serve`", isTransient: false)
            }
            let table = try await FeedbackWindowReader.read(pipeline: pipeline.name, window: window, at: time, store: feedback, schema: schema)
            return Self.keeping(columns, of: table)
        }
    }

    static func scheduleInterval(_ schedule: ScheduleSettings?) -> Duration? {
        if case .every(let interval)? = schedule?.timing { return interval }
        return nil
    }

    /// Only the named columns, in that order (all when nil); a name the source lacks is left for the check to report.
    static func keeping(_ columns: [String]?, of table: DataTable) -> DataTable {
        guard let columns else { return table }
        var kept = table
        kept.columns = columns.compactMap { name in table.columns.first { $0.name == name } }
        kept.excluded = table.excluded.filter { columns.contains($0.column) }
        kept.warnings = table.warnings.filter { columns.contains($0.column) }
        return kept
    }
}
