import Foundation

/// Which CSV layout, and so which metrics and tests, a comparison uses.
package enum ComparisonTask: String, Codable, Sendable {
    case binary
    case multiclass
    case regression
}

/// A value for each of the two models.
package struct ChampionChallenger<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    package var champion: Value
    package var challenger: Value

    package init(champion: Value, challenger: Value) {
        self.champion = champion
        self.challenger = challenger
    }
}

/// The metrics section of a report; encoded as `{"champion": …, "challenger": …}` whatever the task.
package enum ComparisonMetrics: Codable, Sendable, Equatable {
    case binary(ChampionChallenger<BinaryClassificationMetrics>)
    case multiclass(ChampionChallenger<MulticlassMetrics>)
    case regression(ChampionChallenger<RegressionErrorMetrics>)

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .binary(let metrics): try container.encode(metrics)
        case .multiclass(let metrics): try container.encode(metrics)
        case .regression(let metrics): try container.encode(metrics)
        }
    }

    /// The three shapes have disjoint required fields (tp, f1_macro, mse), so trying each in turn is unambiguous.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let binary = try? container.decode(ChampionChallenger<BinaryClassificationMetrics>.self) {
            self = .binary(binary)
        } else if let multiclass = try? container.decode(ChampionChallenger<MulticlassMetrics>.self) {
            self = .multiclass(multiclass)
        } else {
            self = .regression(try container.decode(ChampionChallenger<RegressionErrorMetrics>.self))
        }
    }
}

/// The full champion-vs-challenger comparison: metrics of both models, the significance tests that apply to
/// the task, and the paired bootstrap. JSON field names are those of the reference fixtures wherever the same
/// quantity is meant, so `driftloop compare --json` output can be checked against them directly.
///
/// Undefined quantities are nil and left out of the JSON; that is where the reference has `null` or a raw NaN.
package struct ModelComparison: Codable, Sendable, Equatable {
    package var task: ComparisonTask
    /// The CSV file name, when the data came from one.
    package var csv: String?
    package var n: Int
    /// Binary only: rows with label 1.
    package var positiveCount: Int?
    /// Multiclass only: the sorted union of classes in y and both models' predictions.
    package var classes: [Int]?
    package var thresholdRule: String?
    package var metrics: ComparisonMetrics
    /// Classification only.
    package var mcnemar: McNemarTest?
    /// Binary only.
    package var delong: DeLongTest?
    package var bootstrap: BootstrapSummary
    /// Regression only.
    package var pairedTTest: PairedTTest?
    /// Regression only.
    package var wilcoxon: WilcoxonSignedRankTest?

    enum CodingKeys: String, CodingKey {
        case task, csv, n
        case positiveCount = "n_positive"
        case classes
        case thresholdRule = "threshold_rule"
        case metrics, mcnemar, delong, bootstrap
        case pairedTTest = "paired_t_test"
        case wilcoxon
    }

    package init(_ data: ComparisonData, csv: String? = nil, bootstrap: PairedBootstrap = PairedBootstrap()) {
        self.csv = csv
        n = data.count
        switch data {
        case .binary(let data):
            task = .binary
            positiveCount = data.labels.filter { $0 == 1 }.count
            thresholdRule = BinaryDecision.rule
            metrics = .binary(
                ChampionChallenger(
                    champion: BinaryClassificationMetrics(labels: data.labels, scores: data.championScores),
                    challenger: BinaryClassificationMetrics(labels: data.labels, scores: data.challengerScores)
                ))
            let isCorrect = { (scores: [Double]) in
                zip(data.labels, scores).map { $0 == BinaryDecision.predictedLabel(score: $1) }
            }
            mcnemar = McNemarTest(
                championCorrect: isCorrect(data.championScores),
                challengerCorrect: isCorrect(data.challengerScores)
            )
            delong = DeLongTest(
                labels: data.labels, championScores: data.championScores, challengerScores: data.challengerScores
            )
            self.bootstrap = BootstrapSummary(binary: data, bootstrap: bootstrap)
        case .multiclass(let data):
            task = .multiclass
            let classes = data.classes
            self.classes = classes
            metrics = .multiclass(
                ChampionChallenger(
                    champion: MulticlassMetrics(labels: data.labels, predictions: data.championPredictions, classes: classes),
                    challenger: MulticlassMetrics(labels: data.labels, predictions: data.challengerPredictions, classes: classes)
                ))
            mcnemar = McNemarTest(
                championCorrect: zip(data.labels, data.championPredictions).map(==),
                challengerCorrect: zip(data.labels, data.challengerPredictions).map(==)
            )
            self.bootstrap = BootstrapSummary(multiclass: data, bootstrap: bootstrap)
        case .regression(let data):
            task = .regression
            metrics = .regression(
                ChampionChallenger(
                    champion: RegressionErrorMetrics(targets: data.targets, predictions: data.championPredictions),
                    challenger: RegressionErrorMetrics(targets: data.targets, predictions: data.challengerPredictions)
                ))
            let squaredErrors = { (predictions: [Double]) in zip(data.targets, predictions).map { ($0 - $1) * ($0 - $1) } }
            let champion = squaredErrors(data.championPredictions)
            let challenger = squaredErrors(data.challengerPredictions)
            pairedTTest = PairedTTest(championSquaredErrors: champion, challengerSquaredErrors: challenger)
            wilcoxon = WilcoxonSignedRankTest(championSquaredErrors: champion, challengerSquaredErrors: challenger)
            self.bootstrap = BootstrapSummary(regression: data, bootstrap: bootstrap)
        }
    }

    /// An encoder for reports: sorted keys for stable diffs, and non-finite numbers (a constant non-zero
    /// t-test difference gives t = ±inf) written as the strings "inf", "-inf" and "nan", as the reference does.
    package static func makeJSONEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan"
        )
        return encoder
    }

    /// The matching decoder for `makeJSONEncoder()` output.
    package static func makeJSONDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan"
        )
        return decoder
    }
}
