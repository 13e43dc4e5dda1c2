import DriftStats
import Foundation

/// A pipeline's drift result: the features' verdicts (Evidently's DataDriftPreset) and, reported apart, the
/// prediction columns' verdicts (prediction drift), in the JSON shape of `driftloop drift --json`.
package struct DriftReport: Sendable, Codable {
    package var features: DataDriftReport
    package var prediction: DataDriftReport?

    package var datasetDrift: Bool { self.features.datasetDrift }
    package var driftedColumns: Int { self.features.driftedColumns }
    package var share: Double { self.features.share }

    enum CodingKeys: String, CodingKey { case prediction }

    package init(features: DataDriftReport, prediction: DataDriftReport?) {
        self.features = features
        self.prediction = prediction
    }

    package init(from decoder: any Decoder) throws {
        self.features = try DataDriftReport(from: decoder)
        self.prediction = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(DataDriftReport.self, forKey: .prediction)
    }

    package func encode(to encoder: any Encoder) throws {
        try self.features.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(self.prediction, forKey: .prediction)
    }
}

/// Runs a pipeline's drift policy on its reference and current tables.
package enum DriftCheck {
    /// Loads the pipeline's reference and current data (concurrently) as of `time` (a query's window ends then) and
    /// runs its drift policy on them.
    package static func run(_ pipeline: PipelineDefinition, loader: DataLoader, at time: Date = Date()) async throws -> DriftReport {
        async let reference = loader.table(pipeline.data.referenceSource, pipeline: pipeline, at: time)
        async let current = loader.table(pipeline.data.currentSource, pipeline: pipeline, at: time)
        return try await Self.run(
            reference: try await reference, current: try await current, policy: pipeline.drift, target: pipeline.data.target,
            predictionColumns: pipeline.data.predictionColumns)
    }

    package static func run(reference: DataTable, current: DataTable, policy: DriftPolicy, target: String?, predictionColumns: [String]) async throws
        -> DriftReport
    {
        let excluded = Set([target].compactMap { $0 } + predictionColumns)
        let features = policy.columns ?? current.columnNames.filter { !excluded.contains($0) && reference[$0] != nil }
        for name in features + predictionColumns where reference[name] == nil || current[name] == nil {
            throw ActionFailure("column `\(name)` is missing from the reference or current data; the drift policy or data.prediction names it")
        }
        let analysis = try Self.analysis(policy)
        var report = DriftReport(features: await analysis.runConcurrently(reference: reference, current: current, columns: features), prediction: nil)
        report.features.columns.sort { ($0.drifted ? 0 : 1, $0.column) < ($1.drifted ? 0 : 1, $1.column) }
        if !predictionColumns.isEmpty {
            report.prediction = await analysis.runConcurrently(reference: reference, current: current, columns: predictionColumns)
        }
        return report
    }

    static func analysis(_ policy: DriftPolicy) throws -> DataDriftAnalysis {
        func method(_ name: String?) throws -> StatTestMethod? {
            guard let name else { return nil }
            guard let method = StatTestMethod(rawValue: name) else { throw ActionFailure(StatTestError.unknownMethod(name).description) }
            return method
        }
        var perColumn: [String: StatTestMethod] = [:]
        for (column, name) in policy.perColumnMethod { perColumn[column] = try method(name) }
        var analysis = DataDriftAnalysis(
            method: try method(policy.method), perColumnMethod: perColumn, threshold: policy.threshold, perColumnThreshold: policy.perColumnThreshold,
            share: policy.share)
        analysis.correction = policy.correction
        return analysis
    }
}
