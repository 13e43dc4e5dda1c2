/// The bootstrap section of a comparison report: the generator settings and one distribution per metric.
/// Only the metrics of the comparison's task are present.
package struct BootstrapSummary: Codable, Sendable, Equatable {
    package var generator = "SplitMix64"
    package var seed: UInt64
    package var replicateCount: Int
    /// The first row indices of replicate 0, so another implementation can check its index drawing.
    package var leadingIndicesOfFirstReplicate: [Int]
    package var diffDefinition: String
    package var accuracyDiff: BootstrapDistribution?
    package var f1Diff: BootstrapDistribution?
    package var rocAUCDiff: BootstrapDistribution?
    package var f1MacroDiff: BootstrapDistribution?
    package var mseDiff: BootstrapDistribution?
    package var maeDiff: BootstrapDistribution?

    enum CodingKeys: String, CodingKey {
        case generator, seed
        case replicateCount = "B"
        case leadingIndicesOfFirstReplicate = "first_10_indices_replicate_0"
        case diffDefinition = "diff_definition"
        case accuracyDiff = "accuracy_diff"
        case f1Diff = "f1_diff"
        case rocAUCDiff = "roc_auc_diff"
        case f1MacroDiff = "f1_macro_diff"
        case mseDiff = "mse_diff"
        case maeDiff = "mae_diff"
    }

    private init(bootstrap: PairedBootstrap, rowCount: Int, diffDefinition: String) {
        seed = bootstrap.seed
        replicateCount = bootstrap.replicateCount
        leadingIndicesOfFirstReplicate = bootstrap.leadingIndicesOfFirstReplicate(rowCount: rowCount)
        self.diffDefinition = diffDefinition
    }

    /// Accuracy, F1 and ROC AUC differences; AUC replicates with a single class are skipped.
    package init(binary data: BinaryComparisonData, bootstrap: PairedBootstrap = PairedBootstrap()) {
        self.init(bootstrap: bootstrap, rowCount: data.count, diffDefinition: "challenger metric - champion metric")
        let statistics = BinaryResampleStatistics(data: data)
        let distributions = bootstrap.distributions(rowCount: data.count, metricCount: 3) { indices in
            let differences = statistics.differences(on: indices)
            return [differences.accuracy, differences.f1, differences.rocAUC]
        }
        accuracyDiff = distributions[0]
        f1Diff = distributions[1]
        rocAUCDiff = distributions[2]
    }

    /// Accuracy and macro F1 differences.
    package init(multiclass data: MulticlassComparisonData, bootstrap: PairedBootstrap = PairedBootstrap()) {
        self.init(bootstrap: bootstrap, rowCount: data.count, diffDefinition: "challenger metric - champion metric")
        let statistics = MulticlassResampleStatistics(data: data)
        let distributions = bootstrap.distributions(rowCount: data.count, metricCount: 2) { indices in
            let differences = statistics.differences(on: indices)
            return [differences.accuracy, differences.macroF1]
        }
        accuracyDiff = distributions[0]
        f1MacroDiff = distributions[1]
    }

    /// MSE and MAE differences (negative: the challenger errs less).
    package init(regression data: RegressionComparisonData, bootstrap: PairedBootstrap = PairedBootstrap()) {
        self.init(
            bootstrap: bootstrap,
            rowCount: data.count,
            diffDefinition: "challenger metric - champion metric (lower is better for both)"
        )
        let statistics = RegressionResampleStatistics(data: data)
        let distributions = bootstrap.distributions(rowCount: data.count, metricCount: 2) { indices in
            let differences = statistics.differences(on: indices)
            return [differences.mse, differences.mae]
        }
        mseDiff = distributions[0]
        maeDiff = distributions[1]
    }
}
