/// Why paired predictions cannot be compared; positions are 0-based rows of the data, not CSV lines.
package enum ComparisonDataError: Error, Equatable, Sendable {
    case noRows
    case lengthMismatch(field: String, expected: Int, found: Int)
    case labelNotBinary(row: Int, value: Int)
    case scoreOutOfUnitInterval(row: Int, field: String, value: Double)
    case nonFiniteValue(row: Int, field: String, value: Double)
}

/// Champion and challenger probability scores for the same rows of a binary task (labels 0/1, scores in [0, 1]).
package struct BinaryComparisonData: Sendable, Equatable {
    package let ids: [String]
    package let labels: [Int]
    package let championScores: [Double]
    package let challengerScores: [Double]

    package var count: Int { labels.count }

    /// Validates what every downstream formula assumes, so the metrics and tests themselves need not throw.
    package init(
        ids: [String]? = nil,
        labels: [Int],
        championScores: [Double],
        challengerScores: [Double]
    ) throws(ComparisonDataError) {
        let count = labels.count
        guard count > 0 else { throw .noRows }
        try requireCount(count, of: championScores, field: "champion_score")
        try requireCount(count, of: challengerScores, field: "challenger_score")
        if let ids { try requireCount(count, of: ids, field: "id") }
        for (row, label) in labels.enumerated() where label != 0 && label != 1 {
            throw .labelNotBinary(row: row, value: label)
        }
        for (field, scores) in [("champion_score", championScores), ("challenger_score", challengerScores)] {
            for (row, score) in scores.enumerated() where !(0...1).contains(score) {
                throw score.isFinite
                    ? .scoreOutOfUnitInterval(row: row, field: field, value: score)
                    : .nonFiniteValue(row: row, field: field, value: score)
            }
        }
        self.ids = ids ?? labels.indices.map(String.init)
        self.labels = labels
        self.championScores = championScores
        self.challengerScores = challengerScores
    }
}

/// Champion and challenger class predictions for the same rows of a multiclass task (integer class ids).
package struct MulticlassComparisonData: Sendable, Equatable {
    package let ids: [String]
    package let labels: [Int]
    package let championPredictions: [Int]
    package let challengerPredictions: [Int]

    package var count: Int { labels.count }

    /// sklearn's `labels = sorted(classes in y ∪ both predictions)`.
    package var classes: [Int] { Set(labels + championPredictions + challengerPredictions).sorted() }

    package init(
        ids: [String]? = nil,
        labels: [Int],
        championPredictions: [Int],
        challengerPredictions: [Int]
    ) throws(ComparisonDataError) {
        let count = labels.count
        guard count > 0 else { throw .noRows }
        try requireCount(count, of: championPredictions, field: "champion_pred")
        try requireCount(count, of: challengerPredictions, field: "challenger_pred")
        if let ids { try requireCount(count, of: ids, field: "id") }
        self.ids = ids ?? labels.indices.map(String.init)
        self.labels = labels
        self.championPredictions = championPredictions
        self.challengerPredictions = challengerPredictions
    }
}

/// Champion and challenger predictions of a numeric target for the same rows of a regression task.
package struct RegressionComparisonData: Sendable, Equatable {
    package let ids: [String]
    package let targets: [Double]
    package let championPredictions: [Double]
    package let challengerPredictions: [Double]

    package var count: Int { targets.count }

    package init(
        ids: [String]? = nil,
        targets: [Double],
        championPredictions: [Double],
        challengerPredictions: [Double]
    ) throws(ComparisonDataError) {
        let count = targets.count
        guard count > 0 else { throw .noRows }
        try requireCount(count, of: championPredictions, field: "champion_pred")
        try requireCount(count, of: challengerPredictions, field: "challenger_pred")
        if let ids { try requireCount(count, of: ids, field: "id") }
        for (field, values) in [("y", targets), ("champion_pred", championPredictions), ("challenger_pred", challengerPredictions)] {
            for (row, value) in values.enumerated() where !value.isFinite {
                throw .nonFiniteValue(row: row, field: field, value: value)
            }
        }
        self.ids = ids ?? targets.indices.map(String.init)
        self.targets = targets
        self.championPredictions = championPredictions
        self.challengerPredictions = challengerPredictions
    }
}

/// One comparison input, whichever of the three CSV layouts it came from.
package enum ComparisonData: Sendable, Equatable {
    case binary(BinaryComparisonData)
    case multiclass(MulticlassComparisonData)
    case regression(RegressionComparisonData)

    package var count: Int {
        switch self {
        case .binary(let data): data.count
        case .multiclass(let data): data.count
        case .regression(let data): data.count
        }
    }
}

private func requireCount<Element>(_ count: Int, of values: [Element], field: String) throws(ComparisonDataError) {
    guard values.count == count else {
        throw .lengthMismatch(field: field, expected: count, found: values.count)
    }
}
