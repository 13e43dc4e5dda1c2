import Foundation

/// Holdout metrics of a classifier: accuracy, precision, recall, F1 (positive class for two classes,
/// macro-averaged otherwise), log loss, and ROC AUC for two classes.
enum HoldoutMetrics {
    /// - Parameters:
    ///   - probabilities: per row, one probability per class, in `classes` order.
    ///   - labels: the true class index per row; -1 for a class the model never saw.
    static func compute(probabilities: [[Double]], labels: [Int], classCount: Int) -> [String: Double] {
        guard !labels.isEmpty else { return [:] }
        let predictions = probabilities.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
        let correct = zip(predictions, labels).filter { $0 == $1 }.count
        var metrics: [String: Double] = ["accuracy": Double(correct) / Double(labels.count)]

        func scores(for positive: Int) -> (precision: Double, recall: Double, f1: Double) {
            var truePositive = 0.0, falsePositive = 0.0, falseNegative = 0.0
            for (prediction, label) in zip(predictions, labels) {
                if prediction == positive && label == positive { truePositive += 1 }
                if prediction == positive && label != positive { falsePositive += 1 }
                if prediction != positive && label == positive { falseNegative += 1 }
            }
            let precision = truePositive + falsePositive > 0 ? truePositive / (truePositive + falsePositive) : 0
            let recall = truePositive + falseNegative > 0 ? truePositive / (truePositive + falseNegative) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return (precision, recall, f1)
        }
        if classCount == 2 {
            let positive = scores(for: 1)
            metrics["precision"] = positive.precision
            metrics["recall"] = positive.recall
            metrics["f1"] = positive.f1
            metrics["roc_auc"] = Self.rocAUC(scores: probabilities.map { $0[1] }, positives: labels.map { $0 == 1 })
        } else {
            let perClass = (0..<classCount).map(scores(for:))
            metrics["precision"] = perClass.map(\.precision).reduce(0, +) / Double(classCount)
            metrics["recall"] = perClass.map(\.recall).reduce(0, +) / Double(classCount)
            metrics["f1"] = perClass.map(\.f1).reduce(0, +) / Double(classCount)
        }
        // Log loss clips probabilities as scikit-learn does, so a confident mistake costs a finite amount.
        let epsilon = 1e-15
        let loss = zip(probabilities, labels).reduce(0.0) { total, pair in
            let p = pair.1 >= 0 ? pair.0[pair.1] : epsilon
            return total - log(min(max(p, epsilon), 1 - epsilon))
        }
        metrics["log_loss"] = loss / Double(labels.count)
        return metrics
    }

    /// Area under the ROC curve by the rank-sum (Mann-Whitney) identity, ties counted half.
    static func rocAUC(scores: [Double], positives: [Bool]) -> Double? {
        let positiveCount = positives.filter { $0 }.count
        let negativeCount = positives.count - positiveCount
        guard positiveCount > 0, negativeCount > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = rank }
            start = end + 1
        }
        let positiveRankSum = zip(ranks, positives).filter { $0.1 }.map(\.0).reduce(0, +)
        return (positiveRankSum - Double(positiveCount * (positiveCount + 1)) / 2) / Double(positiveCount * negativeCount)
    }
}
