import DriftData
import DriftStats
import Foundation

/// The live production window as a drift table: the latest feedback records' `features`, one column per feature
/// name, plus `prediction` (and `score` when records carry one). Inference services that post their inputs and
/// predictions get data and prediction drift with no file at all.
enum FeedbackWindowReader {
    /// At most this many records for a time window, so a busy pipeline's day cannot exhaust memory.
    static let maxWindowRecords = 1_000_000

    static func read(
        pipeline: String, window: RecentFeedbackWindow, at time: Date, store: any FeedbackStore, schema: ColumnSchema
    ) async throws -> DataTable {
        let records: [FeedbackRecord]
        let description: String
        switch window {
        case .records(let count):
            records = try await store.recentFeedback(pipeline: pipeline, since: nil, limit: count)
            description = "recent feedback (latest \(count) records)"
        case .window(let duration):
            records = try await store.recentFeedback(
                pipeline: pipeline, since: time.addingTimeInterval(-duration.seconds), limit: Self.maxWindowRecords)
            description = "recent feedback (last \(DurationText.format(duration)))"
        }
        var table = Self.table(records, schema: schema)
        table.source = DataSourceSummary(source: description, format: "feedback", rows: table.rowCount)
        return table
    }

    static func table(_ records: [FeedbackRecord], schema: ColumnSchema) -> DataTable {
        var names: [String] = []
        var seen = Set<String>()
        for record in records {
            guard case .object(let features)? = record.features else { continue }
            for name in features.keys.sorted() where seen.insert(name).inserted { names.append(name) }
        }
        var builders = names.map { TypedColumnBuilder(name: $0, forced: schema.types[$0]) }
        var prediction = TypedColumnBuilder(name: "prediction", forced: schema.types["prediction"])
        var score = TypedColumnBuilder(name: "score", forced: schema.types["score"])
        for record in records {
            let features = record.features?.objectValue ?? [:]
            for index in builders.indices { builders[index].append(Self.value(features[builders[index].name])) }
            prediction.append(record.prediction.map(Self.value(text:)) ?? .null)
            score.append(record.score.map { .double($0) } ?? .null)
        }
        if !seen.contains("prediction") { builders.append(prediction) }
        if !seen.contains("score"), records.contains(where: { $0.score != nil }) { builders.append(score) }
        var columns: [TableColumn] = []
        var excluded: [ExcludedColumn] = []
        for builder in builders where schema.types[builder.name] != .ignored {
            switch builder.build() {
            case .column(let column): columns.append(column)
            case .excluded(let reason): excluded.append(reason)
            }
        }
        return DataTable(columns: columns, rowCount: records.count, excluded: excluded)
    }

    /// A JSON feature as pandas would read it from records: numbers, booleans and strings as themselves; nested values
    /// as their JSON text.
    static func value(_ json: JSONValue?) -> TypedColumnBuilder.Value {
        switch json {
        case nil, .null?: .null
        case .bool(let flag)?: .bool(flag)
        case .number(let number)?:
            if number.rounded() == number, let integer = Int64(exactly: number) { .integer(integer) } else { .double(number) }
        case .string(let text)?: .text(text)
        case let other?: .text(other.jsonText)
        }
    }

    /// A prediction stored as text: a number when it reads as one (as it was posted), else the class name.
    static func value(text: String) -> TypedColumnBuilder.Value {
        if let integer = Int64(text) { return .integer(integer) }
        if let number = Double(text), number.isFinite { return .double(number) }
        return .text(text)
    }
}
