/// The per-column verdicts and the dataset verdict, with the JSON shape of `driftloop drift --json`.
package struct DataDriftReport: Sendable, Codable, Equatable {
    package struct Column: Sendable, Codable, Equatable {
        package var column: String
        package var columnType: DriftColumnType
        /// Evidently's name of the test; `none` for free-text columns, which we do not test (see DEVIATIONS).
        package var stattest: String
        /// NaN (as JSON null) when the test is undefined, e.g. chi-square on a constant column; never drifted.
        package var score: Double?
        /// nil (JSON null) for a column no test was run on, such as a free-text column.
        package var threshold: Double?
        package var drifted: Bool
        package var referenceCount: Int
        package var currentCount: Int
        /// Why a column could not be tested, when it could not.
        package var error: String?
        /// The p-value after the report's multiple-testing correction, which `drifted` then compares; nil without one.
        package var adjustedScore: Double?

        enum CodingKeys: String, CodingKey {
            case column, stattest, score, threshold, drifted, error
            case adjustedScore = "adjusted_score"
            case columnType = "column_type"
            case referenceCount = "n_reference"
            case currentCount = "n_current"
        }
    }

    package var columns: [Column]
    package var driftedColumns: Int
    package var share: Double
    package var shareThreshold: Double
    package var datasetDrift: Bool
    package var referenceRows: Int
    package var currentRows: Int
    /// Where each side's rows came from, when known.
    package var referenceSource: DataSourceSummary?
    package var currentSource: DataSourceSummary?
    /// Columns of the current data left out of drift because of their type, with why (Parquet dates, timestamps,
    /// decimals, unsigned integers: Evidently leaves those pandas dtypes out).
    package var excludedColumns: [ExcludedColumn]?
    /// Columns of either side that one value made text, with that value and where it is.
    package var warnings: [ColumnTypingWarning]?
    /// The multiple-testing correction applied to the p-value columns; nil for none (Evidently's rule).
    package var correction: MultipleTestingCorrection?

    package init(
        columns: [Column], driftedColumns: Int, share: Double, shareThreshold: Double, datasetDrift: Bool, referenceRows: Int, currentRows: Int,
        referenceSource: DataSourceSummary? = nil, currentSource: DataSourceSummary? = nil, excludedColumns: [ExcludedColumn]? = nil,
        warnings: [ColumnTypingWarning]? = nil, correction: MultipleTestingCorrection? = nil
    ) {
        self.columns = columns
        self.driftedColumns = driftedColumns
        self.share = share
        self.shareThreshold = shareThreshold
        self.datasetDrift = datasetDrift
        self.referenceRows = referenceRows
        self.currentRows = currentRows
        self.referenceSource = referenceSource
        self.currentSource = currentSource
        self.excludedColumns = excludedColumns
        self.warnings = warnings
        self.correction = correction
    }

    enum CodingKeys: String, CodingKey {
        case columns, share, warnings, correction
        case driftedColumns = "drifted_columns"
        case shareThreshold = "share_threshold"
        case datasetDrift = "dataset_drift"
        case referenceRows = "n_reference"
        case currentRows = "n_current"
        case referenceSource = "reference_source"
        case currentSource = "current_source"
        case excludedColumns = "excluded_columns"
    }
}
