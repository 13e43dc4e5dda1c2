import Foundation

/// Where a pipeline's reference or current data comes from (`data.reference` / `data.current`).
package enum DataSourceDeclaration: Sendable, Equatable, CustomStringConvertible {
    /// A path (resolved against the pipeline file), an http(s) URL or S3 objects (`s3://bucket/key`, a prefix ending
    /// in `/`, or a glob); CSV or Parquet.
    case location(String)
    /// The rows of a PostgreSQL query.
    case postgres(SQLSourceSettings)
    /// The latest production records posted to the feedback API with their `features`.
    case recentFeedback(RecentFeedbackWindow)

    package var description: String {
        switch self {
        case .location(let location): location
        case .postgres(let settings): "postgres query (\(settings.url)): \(settings.query.prefix(120))"
        case .recentFeedback(.records(let count)): "the latest \(count) feedback records"
        case .recentFeedback(.window(let window)): "feedback records of the last \(DurationText.format(window))"
        }
    }

    /// The location, when the source is one (what a trainer is sent).
    package var location: String? {
        if case .location(let location) = self { return location }
        return nil
    }
}

/// A PostgreSQL query as a data source. Values are bound as parameters, never pasted into the text.
package struct SQLSourceSettings: Sendable, Equatable {
    /// Where the connection URL is: an environment variable or a file (it holds a password).
    package var url: SecretReference
    /// The query; `{{name}}` marks a bound parameter: one of `params`, or `window_start` / `window_end`.
    package var query: String
    /// Values for `{{name}}` parameters, bound as text (PostgreSQL casts them where the query says).
    package var params: [String: String]
    /// The time window `{{window_start}}`...`{{window_end}}` ends at the check and spans this long; default: the
    /// schedule's interval.
    package var window: Duration?
    /// More rows than this is an error (narrow the query or raise it). Default: 1,000,000.
    package var maxRows: Int

    package init(url: SecretReference, query: String, params: [String: String] = [:], window: Duration? = nil, maxRows: Int = 1_000_000) {
        self.url = url
        self.query = query
        self.params = params
        self.window = window
        self.maxRows = maxRows
    }

    /// The `{{name}}` parameters the query uses, in order of first use.
    package var parameterNames: [String] { SQLTemplate.parameterNames(in: self.query) }
}

/// How much recent production data a `recent` source reads.
package enum RecentFeedbackWindow: Sendable, Equatable {
    /// The latest N records received.
    case records(Int)
    /// The records received within this long before the check.
    case window(Duration)
}
