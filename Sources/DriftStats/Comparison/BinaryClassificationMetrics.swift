/// The decision rule of every binary fixture: a score of exactly 0.5 is a positive prediction.
package enum BinaryDecision {
    package static let threshold = 0.5
    package static let rule = "predicted = 1 if score >= 0.5 else 0"

    package static func predictedLabel(score: Double) -> Int { score >= threshold ? 1 : 0 }
}

/// Counts of a binary confusion matrix.
package struct ConfusionCounts: Sendable, Equatable {
    package var truePositives = 0
    package var falsePositives = 0
    package var falseNegatives = 0
    package var trueNegatives = 0

    package init(labels: [Int], predictions: [Int]) {
        precondition(labels.count == predictions.count, "labels and predictions must be paired")
        for (label, prediction) in zip(labels, predictions) {
            switch (label, prediction) {
            case (1, 1): truePositives += 1
            case (0, 1): falsePositives += 1
            case (1, _): falseNegatives += 1
            default: trueNegatives += 1
            }
        }
    }

    package var count: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
    package var predictedPositives: Int { truePositives + falsePositives }
    package var actualPositives: Int { truePositives + falseNegatives }

    package var accuracy: Double { Double(truePositives + trueNegatives) / Double(count) }

    /// TP / (TP + FP), and 0 when nothing was predicted positive (`zero_division=0`).
    package var precision: Double { ratioOrZero(truePositives, predictedPositives) }

    /// TP / (TP + FN), and 0 when there is no positive label (`zero_division=0`).
    package var recall: Double { ratioOrZero(truePositives, actualPositives) }

    /// 2TP / (2TP + FP + FN), and 0 when TP + FP + FN = 0 (`zero_division=0`). This form, not the harmonic mean
    /// of precision and recall, is what sklearn computes and what stays defined when precision or recall is 0/0.
    package var f1: Double { ratioOrZero(2 * truePositives, predictedPositives + actualPositives) }
}

/// Every metric of one model on a binary task, with the expected JSON's field names.
package struct BinaryClassificationMetrics: Codable, Sendable, Equatable {
    package var accuracy: Double
    package var precision: Double
    package var recall: Double
    package var f1: Double
    /// nil (JSON null) when only one class is present, where sklearn returns NaN; see `rocAUCError`.
    package var rocAUC: Double?
    package var rocAUCError: String?
    package var logLoss: Double
    package var brier: Double
    package var predictedPositiveCount: Int
    package var truePositives: Int
    package var falsePositives: Int
    package var falseNegatives: Int
    package var trueNegatives: Int

    enum CodingKeys: String, CodingKey {
        case accuracy, precision, recall, f1
        case rocAUC = "roc_auc"
        case rocAUCError = "roc_auc_error"
        case logLoss = "log_loss"
        case brier
        case predictedPositiveCount = "n_predicted_positive"
        case truePositives = "tp"
        case falsePositives = "fp"
        case falseNegatives = "fn"
        case trueNegatives = "tn"
    }

    package init(labels: [Int], scores: [Double]) {
        let predictions = scores.map(BinaryDecision.predictedLabel(score:))
        let counts = ConfusionCounts(labels: labels, predictions: predictions)
        let auc = ROCAUC.outcome(labels: labels, scores: scores)
        accuracy = counts.accuracy
        precision = counts.precision
        recall = counts.recall
        f1 = counts.f1
        rocAUC = auc.error == nil ? auc.value : nil
        rocAUCError = auc.error?.description
        logLoss = ProbabilityLosses.logLoss(labels: labels, probabilities: scores)
        brier = ProbabilityLosses.brierScore(labels: labels, probabilities: scores)
        predictedPositiveCount = counts.predictedPositives
        truePositives = counts.truePositives
        falsePositives = counts.falsePositives
        falseNegatives = counts.falseNegatives
        trueNegatives = counts.trueNegatives
    }
}

func ratioOrZero(_ numerator: Int, _ denominator: Int) -> Double {
    denominator == 0 ? 0 : Double(numerator) / Double(denominator)
}
