/// The per-column verdicts and the dataset verdict, with the JSON shape of `driftloop drift --json`.
public struct DataDriftReport: Sendable, Codable, Equatable {
    public struct Column: Sendable, Codable, Equatable {
        public var column: String
        public var columnType: DriftColumnType
        /// Evidently's name of the test; `none` for free-text columns, which we do not test (see DEVIATIONS).
        public var stattest: String
        /// NaN (as JSON null) when the test is undefined, e.g. chi-square on a constant column; never drifted.
        public var score: Double?
        public var threshold: Double
        public var drifted: Bool
        public var referenceCount: Int
        public var currentCount: Int
        /// Why a column could not be tested, when it could not.
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case column, stattest, score, threshold, drifted, error
            case columnType = "column_type"
            case referenceCount = "n_reference"
            case currentCount = "n_current"
        }
    }

    public var columns: [Column]
    public var driftedColumns: Int
    public var share: Double
    public var shareThreshold: Double
    public var datasetDrift: Bool
    public var referenceRows: Int
    public var currentRows: Int
    /// Where each side's rows came from, when known.
    public var referenceSource: DataSourceSummary?
    public var currentSource: DataSourceSummary?
    /// Columns of the current data left out of drift because of their type, with why (Parquet dates, timestamps,
    /// decimals, unsigned integers: Evidently leaves those pandas dtypes out).
    public var excludedColumns: [ExcludedColumn]?

    public init(
        columns: [Column], driftedColumns: Int, share: Double, shareThreshold: Double, datasetDrift: Bool, referenceRows: Int, currentRows: Int,
        referenceSource: DataSourceSummary? = nil, currentSource: DataSourceSummary? = nil, excludedColumns: [ExcludedColumn]? = nil
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
    }

    enum CodingKeys: String, CodingKey {
        case columns, share
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
