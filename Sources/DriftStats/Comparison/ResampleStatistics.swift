// Per-replicate metric differences, each computed so that it is exact or its rounding order is fixed
// (note, section 5): integer counts divided once, rank sums kept as integers, sums taken in resample order.

/// Binary accuracy, F1 and ROC AUC of both models on a resample.
struct BinaryResampleStatistics {
    private let labels: [Int]
    private let championModel: ScoredModel
    private let challengerModel: ScoredModel

    /// One model's predictions, plus its rows in ascending score order cut into tie groups, so the AUC of a
    /// resample is one linear pass over row multiplicities instead of a sort per replicate.
    private struct ScoredModel {
        var predictions: [Int]
        var rowsByScore: [Int]
        var tieGroupEnds: [Int]

        init(scores: [Double]) {
            predictions = scores.map(BinaryDecision.predictedLabel(score:))
            rowsByScore = scores.indices.sorted { scores[$0] < scores[$1] }
            tieGroupEnds = []
            for position in rowsByScore.indices.dropFirst()
            where scores[rowsByScore[position]] != scores[rowsByScore[position - 1]] {
                tieGroupEnds.append(position)
            }
            tieGroupEnds.append(rowsByScore.count)
        }
    }

    init(data: BinaryComparisonData) {
        labels = data.labels
        championModel = ScoredModel(scores: data.championScores)
        challengerModel = ScoredModel(scores: data.challengerScores)
    }

    func differences(on indices: [Int]) -> (accuracy: Double, f1: Double, rocAUC: Double?) {
        var multiplicity = [Int](repeating: 0, count: labels.count)
        for row in indices { multiplicity[row] += 1 }
        let champion = metrics(of: championModel, indices: indices, multiplicity: multiplicity)
        let challenger = metrics(of: challengerModel, indices: indices, multiplicity: multiplicity)
        let aucDifference = champion.rocAUC.flatMap { championAUC in challenger.rocAUC.map { $0 - championAUC } }
        return (challenger.accuracy - champion.accuracy, challenger.f1 - champion.f1, aucDifference)
    }

    private func metrics(of model: ScoredModel, indices: [Int], multiplicity: [Int])
        -> (accuracy: Double, f1: Double, rocAUC: Double?)
    {
        var correct = 0
        var truePositives = 0
        var predictedPositives = 0
        var actualPositives = 0
        for row in indices {
            let label = labels[row]
            let prediction = model.predictions[row]
            if label == prediction { correct += 1 }
            if label == 1 { actualPositives += 1 }
            if prediction == 1 {
                predictedPositives += 1
                if label == 1 { truePositives += 1 }
            }
        }
        let accuracy = Double(correct) / Double(indices.count)
        let f1 = ratioOrZero(2 * truePositives, predictedPositives + actualPositives)

        // A resampled row drawn k times occupies k consecutive ranks; a tie group of total size t starting
        // after `ranked` rows has doubled midrank 2·ranked + t + 1 for each of its members.
        var doubledPositiveRankSum = 0
        var ranked = 0
        var groupStart = 0
        for groupEnd in model.tieGroupEnds {
            var groupSize = 0
            var groupPositives = 0
            for row in model.rowsByScore[groupStart..<groupEnd] {
                groupSize += multiplicity[row]
                groupPositives += multiplicity[row] * labels[row]
            }
            doubledPositiveRankSum += groupPositives * (2 * ranked + groupSize + 1)
            ranked += groupSize
            groupStart = groupEnd
        }
        let auc = ROCAUC.fromDoubledRankSum(
            doubledPositiveRankSum, positives: actualPositives, negatives: indices.count - actualPositives
        )
        return (accuracy, f1, auc)
    }
}

/// Multiclass accuracy and macro F1 of both models on a resample, over the full data's class list.
struct MulticlassResampleStatistics {
    private let classCount: Int
    private let labelIndices: [Int]
    private let championIndices: [Int]
    private let challengerIndices: [Int]

    init(data: MulticlassComparisonData) {
        let classes = data.classes
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        classCount = classes.count
        labelIndices = data.labels.map { position[$0] ?? 0 }
        championIndices = data.championPredictions.map { position[$0] ?? 0 }
        challengerIndices = data.challengerPredictions.map { position[$0] ?? 0 }
    }

    func differences(on indices: [Int]) -> (accuracy: Double, macroF1: Double) {
        var champion = ClassTally(classCount: classCount)
        var challenger = ClassTally(classCount: classCount)
        for row in indices {
            champion.add(labelIndex: labelIndices[row], predictionIndex: championIndices[row])
            challenger.add(labelIndex: labelIndices[row], predictionIndex: challengerIndices[row])
        }
        let count = Double(indices.count)
        let accuracyDifference = Double(challenger.correct) / count - Double(champion.correct) / count
        return (accuracyDifference, challenger.macroF1 - champion.macroF1)
    }
}

/// Regression MSE and MAE of both models on a resample: per-row errors precomputed, summed left to right in
/// resample order (no pairwise or compensated summation), then divided by n.
struct RegressionResampleStatistics {
    private let championSquaredErrors: [Double]
    private let challengerSquaredErrors: [Double]
    private let championAbsoluteErrors: [Double]
    private let challengerAbsoluteErrors: [Double]

    init(data: RegressionComparisonData) {
        func squared(_ target: Double, _ prediction: Double) -> Double { (target - prediction) * (target - prediction) }
        championSquaredErrors = zip(data.targets, data.championPredictions).map(squared)
        challengerSquaredErrors = zip(data.targets, data.challengerPredictions).map(squared)
        championAbsoluteErrors = zip(data.targets, data.championPredictions).map { abs($0 - $1) }
        challengerAbsoluteErrors = zip(data.targets, data.challengerPredictions).map { abs($0 - $1) }
    }

    func differences(on indices: [Int]) -> (mse: Double, mae: Double) {
        func mean(_ errors: [Double]) -> Double {
            var total = 0.0
            for row in indices { total += errors[row] }
            return total / Double(indices.count)
        }
        return (
            mean(challengerSquaredErrors) - mean(championSquaredErrors),
            mean(challengerAbsoluteErrors) - mean(championAbsoluteErrors)
        )
    }
}
