import Foundation

/// One labelled prediction of a classifier. `score` is the predicted probability of the positive class, when the
/// model reports one (needed for log loss and ROC AUC).
package struct ClassificationOutcome: Sendable, Codable, Equatable {
    package var label: String
    package var prediction: String
    package var score: Double?

    package init(label: String, prediction: String, score: Double? = nil) {
        self.label = label
        self.prediction = prediction
        self.score = score
    }
}

/// Classification metrics with scikit-learn's definitions (zero_division=0), so a window's figures compare with
/// the champion's holdout figures from training.
package enum ClassificationMetrics {
    /// Keys: `accuracy`; `precision`, `recall`, `f1` of `positiveLabel` when given, else macro-averaged;
    /// `precision_macro`, `recall_macro`, `f1_macro`; `f1[CLASS]` etc. per class; `log_loss` and `roc_auc` when
    /// every outcome has a score and a positive label is given.
    package static func compute(_ outcomes: [ClassificationOutcome], positiveLabel: String?) -> [String: Double] {
        guard !outcomes.isEmpty else { return [:] }
        var classes = Set<String>()
        var truePositives: [String: Double] = [:]
        var predicted: [String: Double] = [:]
        var actual: [String: Double] = [:]
        var correct = 0.0
        for outcome in outcomes {
            classes.insert(outcome.label)
            classes.insert(outcome.prediction)
            actual[outcome.label, default: 0] += 1
            predicted[outcome.prediction, default: 0] += 1
            if outcome.label == outcome.prediction {
                correct += 1
                truePositives[outcome.label, default: 0] += 1
            }
        }
        if let positiveLabel { classes.insert(positiveLabel) }
        var metrics: [String: Double] = ["accuracy": correct / Double(outcomes.count)]
        var precisionSum = 0.0, recallSum = 0.0, f1Sum = 0.0
        for name in classes {
            let tp = truePositives[name] ?? 0
            let precision = (predicted[name] ?? 0) > 0 ? tp / predicted[name]! : 0
            let recall = (actual[name] ?? 0) > 0 ? tp / actual[name]! : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            metrics["precision[\(name)]"] = precision
            metrics["recall[\(name)]"] = recall
            metrics["f1[\(name)]"] = f1
            precisionSum += precision
            recallSum += recall
            f1Sum += f1
        }
        let classCount = Double(classes.count)
        metrics["precision_macro"] = precisionSum / classCount
        metrics["recall_macro"] = recallSum / classCount
        metrics["f1_macro"] = f1Sum / classCount
        for name in ["precision", "recall", "f1"] {
            metrics[name] = positiveLabel.flatMap { metrics["\(name)[\($0)]"] } ?? metrics["\(name)_macro"]
        }
        if let positiveLabel {
            let scored = outcomes.compactMap { outcome in outcome.score.map { (score: $0, positive: outcome.label == positiveLabel) } }
            if scored.count == outcomes.count {
                metrics["log_loss"] = Self.logLoss(scored)
                if let auc = Self.rocAUC(scored) { metrics["roc_auc"] = auc }
            }
        }
        return metrics
    }

    /// Binary log loss with probabilities clipped to [1e-15, 1 - 1e-15], as scikit-learn did before 1.5 and as
    /// the built-in trainer reports it.
    static func logLoss(_ scored: [(score: Double, positive: Bool)]) -> Double {
        let epsilon = 1e-15
        var total = 0.0
        for (score, positive) in scored {
            let p = min(max(score, epsilon), 1 - epsilon)
            total -= positive ? Self.log(p) : Self.log(1 - p)
        }
        return total / Double(scored.count)
    }

    /// ROC AUC as the Mann-Whitney statistic with tied scores sharing their average rank; undefined (nil) when
    /// the window holds only one class, as scikit-learn refuses it.
    static func rocAUC(_ scored: [(score: Double, positive: Bool)]) -> Double? {
        let positives = scored.filter(\.positive).count
        let negatives = scored.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let sorted = scored.sorted { $0.score < $1.score }
        var rankSumPositive = 0.0
        var start = 0
        while start < sorted.count {
            var end = start
            while end + 1 < sorted.count, sorted[end + 1].score == sorted[start].score { end += 1 }
            let averageRank = Double(start + end) / 2 + 1
            for index in start...end where sorted[index].positive { rankSumPositive += averageRank }
            start = end + 1
        }
        let u = rankSumPositive - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }

    private static func log(_ x: Double) -> Double { Foundation.log(x) }
}
