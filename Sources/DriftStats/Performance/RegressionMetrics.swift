import Foundation

/// Regression metrics with scikit-learn's definitions.
package enum RegressionMetrics {
    /// Keys: `mae`, `rmse`, `mape` (a fraction, |y| floored at machine epsilon as scikit-learn does), `r2`
    /// (1 for a perfect fit of a constant target, 0 for an imperfect one, as scikit-learn does).
    package static func compute(labels: [Double], predictions: [Double]) -> [String: Double] {
        let count = min(labels.count, predictions.count)
        guard count > 0 else { return [:] }
        var absolute = 0.0, squared = 0.0, percentage = 0.0, labelSum = 0.0
        for index in 0..<count {
            let error = labels[index] - predictions[index]
            absolute += abs(error)
            squared += error * error
            percentage += abs(error) / max(abs(labels[index]), Double.ulpOfOne)
            labelSum += labels[index]
        }
        let mean = labelSum / Double(count)
        var total = 0.0
        for index in 0..<count { total += (labels[index] - mean) * (labels[index] - mean) }
        let r2: Double = total == 0 ? (squared == 0 ? 1 : 0) : 1 - squared / total
        let n = Double(count)
        return ["mae": absolute / n, "rmse": (squared / n).squareRoot(), "mape": percentage / n, "r2": r2]
    }
}
