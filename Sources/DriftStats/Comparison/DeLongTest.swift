/// DeLong's test for the difference of two correlated ROC AUCs measured on the same rows, with the fast
/// midrank algorithm of Sun & Xu (2014). Matches R pROC's `roc.test(method = "delong", paired = TRUE)` with the
/// direction fixed to "<" (pROC's automatic direction would flip a worse-than-random model's AUC).
package struct DeLongTest: Codable, Sendable, Equatable {
    /// False when the test cannot be computed at all (one class, or fewer than two rows of a class).
    package var defined: Bool
    package var reason: String?
    package var aucChampion: Double?
    package var aucChallenger: Double?
    /// AUC_challenger − AUC_champion.
    package var diff: Double?
    package var varianceChampion: Double?
    package var varianceChallenger: Double?
    package var covariance: Double?
    package var varianceOfDifference: Double?
    package var standardErrorOfDifference: Double?
    /// nil when the variance of the difference is 0 (e.g. identical scores): there is no evidence of a difference.
    package var z: Double?
    package var pvalue: Double?
    package var ci95: [Double]?
    package var edgeCase: String?

    enum CodingKeys: String, CodingKey {
        case defined, reason
        case aucChampion = "auc_champion"
        case aucChallenger = "auc_challenger"
        case diff
        case varianceChampion = "var_auc_champion"
        case varianceChallenger = "var_auc_challenger"
        case covariance = "cov_auc"
        case varianceOfDifference = "var_diff"
        case standardErrorOfDifference = "se_diff"
        case z, pvalue, ci95
        case edgeCase = "edge_case"
    }

    /// Placement values of one model: V10 over positives, V01 over negatives, and its AUC.
    struct Placements: Equatable {
        var positive: [Double]
        var negative: [Double]
        var auc: Double
    }

    package init(labels: [Int], championScores: [Double], challengerScores: [Double]) {
        precondition(labels.count == championScores.count && labels.count == challengerScores.count, "inputs must be paired")
        let positives = labels.filter { $0 == 1 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else {
            self.init(undefinedBecause: "only one class in labels: AUC and its variance are undefined")
            return
        }
        guard positives > 1, negatives > 1 else {
            self.init(undefinedBecause: "fewer than two rows of a class: the placement covariances are undefined")
            return
        }
        let champion = Self.fastPlacements(labels: labels, scores: championScores)
        let challenger = Self.fastPlacements(labels: labels, scores: challengerScores)
        self.init(champion: champion, challenger: challenger)
    }

    private init(undefinedBecause reason: String) {
        defined = false
        self.reason = reason
    }

    init(champion: Placements, challenger: Placements) {
        let m = Double(champion.positive.count)
        let n = Double(champion.negative.count)
        let positiveCovariance = Self.covariance(champion.positive, challenger.positive)
        let negativeCovariance = Self.covariance(champion.negative, challenger.negative)
        // S = S10/m + S01/n, element by element.
        let varianceChampion = positiveCovariance.first / m + negativeCovariance.first / n
        let varianceChallenger = positiveCovariance.second / m + negativeCovariance.second / n
        let covariance = positiveCovariance.cross / m + negativeCovariance.cross / n
        let difference = challenger.auc - champion.auc
        let varianceOfDifference = varianceChampion + varianceChallenger - 2 * covariance

        defined = true
        aucChampion = champion.auc
        aucChallenger = challenger.auc
        diff = difference
        self.varianceChampion = varianceChampion
        self.varianceChallenger = varianceChallenger
        self.covariance = covariance
        self.varianceOfDifference = varianceOfDifference
        // A difference of exactly 0 is possible only for identical score orders; rounding can leave a tiny
        // negative value, which is no more informative, so both count as "no variance".
        let standardError = max(varianceOfDifference, 0).squareRoot()
        standardErrorOfDifference = standardError
        if standardError > 0 {
            let z = difference / standardError
            self.z = z
            pvalue = NormalDistribution.twoSidedPValue(z: z)
            let halfWidth = NormalDistribution.quantile975 * standardError
            ci95 = [difference - halfWidth, difference + halfWidth]
        } else {
            edgeCase = "var_diff = 0 (identical score orderings): z and p are undefined; no difference between the models"
        }
    }

    /// Sun & Xu: midranks within positives (Tx), within negatives (Ty) and of positives followed by negatives (Tz).
    static func fastPlacements(labels: [Int], scores: [Double]) -> Placements {
        let positiveScores = zip(labels, scores).filter { $0.0 == 1 }.map(\.1)
        let negativeScores = zip(labels, scores).filter { $0.0 != 1 }.map(\.1)
        let m = positiveScores.count
        let n = negativeScores.count
        let withinPositives = Midranks.ranks(positiveScores)
        let withinNegatives = Midranks.ranks(negativeScores)
        let combined = Midranks.ranks(positiveScores + negativeScores)
        let positivePlacements = (0..<m).map { (combined[$0] - withinPositives[$0]) / Double(n) }
        let negativePlacements = (0..<n).map { 1 - (combined[m + $0] - withinNegatives[$0]) / Double(m) }
        var positiveRankSum = 0.0
        for rank in combined[0..<m] { positiveRankSum += rank }
        let auc = (positiveRankSum - Double(m * (m + 1)) / 2) / (Double(m) * Double(n))
        return Placements(positive: positivePlacements, negative: negativePlacements, auc: auc)
    }

    /// The O(m·n) definition with ψ(x, y) ∈ {1, ½, 0}; kept to cross-check the fast algorithm.
    static func directPlacements(labels: [Int], scores: [Double]) -> Placements {
        let positiveScores = zip(labels, scores).filter { $0.0 == 1 }.map(\.1)
        let negativeScores = zip(labels, scores).filter { $0.0 != 1 }.map(\.1)
        func psi(_ positive: Double, _ negative: Double) -> Double {
            positive > negative ? 1 : (positive == negative ? 0.5 : 0)
        }
        let positivePlacements = positiveScores.map { x in
            negativeScores.reduce(0.0) { $0 + psi(x, $1) } / Double(negativeScores.count)
        }
        let negativePlacements = negativeScores.map { y in
            positiveScores.reduce(0.0) { $0 + psi($1, y) } / Double(positiveScores.count)
        }
        let auc = positivePlacements.reduce(0, +) / Double(positivePlacements.count)
        return Placements(positive: positivePlacements, negative: negativePlacements, auc: auc)
    }

    /// The 2×2 sample covariance (denominator count − 1) of two paired placement vectors.
    static func covariance(_ first: [Double], _ second: [Double]) -> (first: Double, second: Double, cross: Double) {
        let count = Double(first.count)
        let firstMean = first.reduce(0, +) / count
        let secondMean = second.reduce(0, +) / count
        var sums = (first: 0.0, second: 0.0, cross: 0.0)
        for (a, b) in zip(first, second) {
            sums.first += (a - firstMean) * (a - firstMean)
            sums.second += (b - secondMean) * (b - secondMean)
            sums.cross += (a - firstMean) * (b - secondMean)
        }
        return (sums.first / (count - 1), sums.second / (count - 1), sums.cross / (count - 1))
    }
}
