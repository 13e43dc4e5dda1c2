import Foundation

/// How the Wilcoxon p-value was computed.
package enum WilcoxonMethod: String, Codable, Sendable {
    case exact
    case asymptotic
    case permutation
}

/// The Wilcoxon signed-rank test on per-row squared-error differences, as
/// `scipy.stats.wilcoxon(se_challenger, se_champion)` with its defaults (zero_method 'wilcox', no continuity
/// correction, two-sided, method 'auto').
package struct WilcoxonSignedRankTest: Codable, Sendable, Equatable {
    /// The by-hand quantities behind the statistic, and the normal approximation whatever method was chosen.
    package struct Details: Codable, Sendable, Equatable {
        package var nonzeroCount: Int
        package var rankSumPositive: Double
        package var rankSumNegative: Double
        package var statisticMin: Double
        package var standardError: Double
        package var z: Double?
        package var normalTwoSidedPValue: Double?

        enum CodingKeys: String, CodingKey {
            case nonzeroCount = "n_nonzero"
            case rankSumPositive = "r_plus"
            case rankSumNegative = "r_minus"
            case statisticMin = "statistic_min"
            case standardError = "se"
            case z
            case normalTwoSidedPValue = "p_normal_two_sided"
        }
    }

    /// min(r+, r−).
    package var statistic: Double
    /// nil when every difference is 0 (scipy: NaN).
    package var pvalue: Double?
    package var method: WilcoxonMethod?
    package var methodChosenByAuto: String
    package var zeroDifferenceCount: Int
    package var hasTiedAbsoluteDifferences: Bool
    package var details: Details
    package var edgeCase: String?

    enum CodingKeys: String, CodingKey {
        case statistic, pvalue, method
        case methodChosenByAuto = "method_chosen_by_auto"
        case zeroDifferenceCount = "n_zero_differences"
        case hasTiedAbsoluteDifferences = "tied_abs_differences"
        case details = "hand_computation"
        case edgeCase = "edge_case"
    }

    /// scipy switches to the normal approximation above this many rows, counting zero differences.
    static let exactMethodRowLimit = 50
    /// scipy's permutation test enumerates all 2ⁿ sign flips up to this many rows.
    static let permutationRowLimit = 13

    package init(championSquaredErrors: [Double], challengerSquaredErrors: [Double]) {
        precondition(championSquaredErrors.count == challengerSquaredErrors.count, "errors must be paired")
        self.init(differences: zip(challengerSquaredErrors, championSquaredErrors).map { $0 - $1 })
    }

    /// `differences` are challenger − champion, one per row.
    package init(differences: [Double]) {
        let nonzero = differences.filter { $0 != 0 }
        let rowCount = differences.count
        let count = nonzero.count
        let ranking = Midranks.doubled(nonzero.map(abs))
        var doubledPositive = 0
        var doubledNegative = 0
        for (difference, doubledRank) in zip(nonzero, ranking.doubledRanks) {
            if difference > 0 { doubledPositive += doubledRank } else { doubledNegative += doubledRank }
        }
        let rankSumPositive = Double(doubledPositive) / 2
        let rankSumNegative = Double(doubledNegative) / 2
        let hasTies = ranking.tieGroupSizes.contains { $0 > 1 }

        let n = Double(count)
        let tieCorrection = ranking.tieGroupSizes.reduce(0.0) { total, size in
            let t = Double(size)
            return total + (t * t * t - t)
        }
        let standardError = ((n * (n + 1) * (2 * n + 1) - tieCorrection / 2) / 24).squareRoot()
        let z: Double? = standardError > 0 ? (rankSumPositive - n * (n + 1) / 4) / standardError : nil
        let normalPValue = z.map(NormalDistribution.twoSidedPValue(z:))

        statistic = min(rankSumPositive, rankSumNegative)
        zeroDifferenceCount = rowCount - count
        hasTiedAbsoluteDifferences = hasTies
        details = Details(
            nonzeroCount: count,
            rankSumPositive: rankSumPositive,
            rankSumNegative: rankSumNegative,
            statisticMin: statistic,
            standardError: standardError,
            z: z,
            normalTwoSidedPValue: normalPValue
        )

        if rowCount > Self.exactMethodRowLimit {
            method = .asymptotic
            methodChosenByAuto = "asymptotic (n > 50)"
        } else if zeroDifferenceCount == 0 && !hasTies {
            method = .exact
            methodChosenByAuto = "exact (n <= 50, no zero and no tied |d|)"
        } else if rowCount <= Self.permutationRowLimit {
            method = .permutation
            methodChosenByAuto = "permutation (n <= 13 with a zero or tied |d|)"
        } else {
            method = .asymptotic
            methodChosenByAuto = "asymptotic (13 < n <= 50 with a zero or tied |d|)"
        }

        guard count > 0 else {
            pvalue = nil
            edgeCase = "every difference is 0: the p-value is undefined (scipy: NaN); no difference between the models"
            return
        }
        switch method {
        case .exact?, .permutation?:
            // Without ties the doubled ranks are 2, 4, …, 2n, so one sign-flip distribution serves both methods;
            // with ties it is the permutation distribution scipy enumerates.
            let distribution = SignFlipDistribution(doubledRanks: ranking.doubledRanks)
            pvalue = distribution.twoSidedPValue(doubledObserved: doubledPositive)
        case .asymptotic?, nil:
            pvalue = normalPValue
        }
    }
}

/// The exact null distribution of the (doubled) positive rank sum when every sign is equally likely to flip:
/// subset-sum counts over the doubled ranks, divided by 2ⁿ.
struct SignFlipDistribution {
    /// counts[s] = number of sign patterns whose doubled positive rank sum is s.
    private let counts: [Double]
    private let patternCount: Double

    init(doubledRanks: [Int]) {
        let total = doubledRanks.reduce(0, +)
        var counts = [Double](repeating: 0, count: total + 1)
        counts[0] = 1
        var reachable = 0
        for rank in doubledRanks {
            reachable += rank
            // Downward so each rank is used at most once; counts stay below 2^53 for n ≤ 52, hence exact.
            for sum in stride(from: reachable, through: rank, by: -1) {
                counts[sum] += counts[sum - rank]
            }
        }
        self.counts = counts
        patternCount = exp2(Double(doubledRanks.count))
    }

    /// min(1, 2·min(P(T ≥ observed), P(T ≤ observed))). With integer ranks this equals scipy's exact rule
    /// 2·min(P(T ≥ ⌊r+⌋), P(T ≤ ⌈r+⌉)); with half ranks, its permutation test's.
    func twoSidedPValue(doubledObserved: Int) -> Double {
        var atMost = 0.0
        var atLeast = 0.0
        for (sum, count) in counts.enumerated() {
            if sum <= doubledObserved { atMost += count }
            if sum >= doubledObserved { atLeast += count }
        }
        return min(1, 2 * min(atMost, atLeast) / patternCount)
    }
}
