/// Which way is better for a performance metric, so "drops by 0.05" means the same harm for F1 and for RMSE.
package enum MetricOrientation {
    static let lowerIsBetterMetrics: Set<String> = ["mae", "rmse", "mape", "mse", "log_loss", "error_rate"]

    package static func lowerIsBetter(_ metric: String) -> Bool {
        Self.lowerIsBetterMetrics.contains(metric)
    }
}
