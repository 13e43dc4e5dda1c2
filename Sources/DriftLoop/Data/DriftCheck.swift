import DriftStats
import Foundation

/// Dataset drift between two CSV tables, in the JSON shape of `driftloop drift --json`.
public struct DriftReport: Sendable, Codable {
    public var columns: [ColumnDriftResult]
    public var driftedColumns: Int
    public var share: Double
    public var datasetDrift: Bool
    public var nReference: Int
    public var nCurrent: Int
    /// Prediction drift, computed on the prediction columns and reported apart from the features.
    public var prediction: [ColumnDriftResult]

    enum CodingKeys: String, CodingKey {
        case columns, share, prediction
        case driftedColumns = "drifted_columns"
        case datasetDrift = "dataset_drift"
        case nReference = "n_reference"
        case nCurrent = "n_current"
    }
}

/// Runs the drift tests of a pipeline's policy on reference and current CSV data.
public enum DriftCheck {
    public static func run(reference: Data, current: Data, policy: DriftPolicy, target: String?, predictionColumns: [String]) throws -> DriftReport {
        let referenceTable = try TrainingTable.parse(String(decoding: reference, as: UTF8.self), source: "reference data")
        let currentTable = try TrainingTable.parse(String(decoding: current, as: UTF8.self), source: "current data")
        let excluded = Set([target].compactMap { $0 } + predictionColumns)
        let featureNames = (policy.columns ?? referenceTable.header.filter { !excluded.contains($0) })
        for name in featureNames + predictionColumns where referenceTable.column(named: name) == nil || currentTable.column(named: name) == nil {
            throw ActionFailure("column `\(name)` is missing from the reference or current data")
        }
        func test(_ name: String) -> ColumnDriftResult {
            let referenceIndex = referenceTable.column(named: name)!
            let currentIndex = currentTable.column(named: name)!
            let referenceValues = referenceTable.rows.map { $0[referenceIndex] }
            let currentValues = currentTable.rows.map { $0[currentIndex] }
            let threshold = policy.perColumnThreshold[name] ?? policy.threshold ?? 0.05
            return BasicDriftTests.test(
                column: name, reference: Self.typed(referenceValues, like: currentValues), current: Self.typed(currentValues, like: referenceValues),
                threshold: threshold)
        }
        let columns = featureNames.map(test).sorted { ($0.drifted ? 0 : 1, $0.score) < ($1.drifted ? 0 : 1, $1.score) }
        let drifted = columns.filter(\.drifted).count
        let share = columns.isEmpty ? 0 : Double(drifted) / Double(columns.count)
        return DriftReport(
            columns: columns, driftedColumns: drifted, share: share, datasetDrift: !columns.isEmpty && share >= policy.share,
            nReference: referenceTable.rows.count, nCurrent: currentTable.rows.count, prediction: predictionColumns.map(test))
    }

    /// A column is numerical when every present value in both datasets is a number.
    private static func typed(_ values: [String], like other: [String]) -> DriftColumnValues {
        let isNumeric = (values + other).allSatisfy { $0.isEmpty || Double($0) != nil }
        if isNumeric { return .numerical(values.map { Double($0) ?? .nan }) }
        return .categorical(values.map { $0.isEmpty ? nil : $0 })
    }
}
