/// Error metrics of one model on a regression task, with the expected JSON's field names.
package struct RegressionErrorMetrics: Codable, Sendable, Equatable {
    package var mse: Double
    package var rmse: Double
    package var mae: Double
    package var r2: Double

    enum CodingKeys: String, CodingKey {
        case mse, rmse, mae, r2
    }

    package init(targets: [Double], predictions: [Double]) {
        precondition(targets.count == predictions.count && !targets.isEmpty, "metrics need paired, non-empty input")
        let squaredErrors = zip(targets, predictions).map { target, prediction in
            (target - prediction) * (target - prediction)
        }
        let absoluteErrors = zip(targets, predictions).map { abs($0 - $1) }
        mse = NumPy.mean(squaredErrors)
        rmse = mse.squareRoot()
        mae = NumPy.mean(absoluteErrors)
        let targetMean = NumPy.mean(targets)
        let residualSum = NumPy.sum(squaredErrors)
        let totalSum = NumPy.sum(targets.map { ($0 - targetMean) * ($0 - targetMean) })
        // sklearn's force_finite: a constant target scores 1 when predicted perfectly and 0 otherwise, not ±inf/NaN.
        if totalSum == 0 {
            r2 = residualSum == 0 ? 1 : 0
        } else {
            r2 = 1 - residualSum / totalSum
        }
    }
}
