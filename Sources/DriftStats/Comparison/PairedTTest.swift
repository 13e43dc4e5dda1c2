/// The paired t-test on per-row squared errors, as `scipy.stats.ttest_rel(se_challenger, se_champion)`:
/// d = (y − challenger)² − (y − champion)², so a negative mean says the challenger errs less.
package struct PairedTTest: Codable, Sendable, Equatable {
    /// mean(d) / (sd(d)/√n); nil when every difference is 0 (scipy: NaN), ±inf when d is constant but not 0.
    package var statistic: Double?
    package var pvalue: Double?
    package var degreesOfFreedom: Double
    package var meanDifference: Double
    /// Sample standard deviation of d (denominator n − 1); nil with a single row.
    package var standardDeviationOfDifference: Double?
    package var edgeCase: String?

    enum CodingKeys: String, CodingKey {
        case statistic, pvalue
        case degreesOfFreedom = "df"
        case meanDifference = "mean_diff"
        case standardDeviationOfDifference = "sd_diff_ddof1"
        case edgeCase = "edge_case"
    }

    package init(championSquaredErrors: [Double], challengerSquaredErrors: [Double]) {
        precondition(championSquaredErrors.count == challengerSquaredErrors.count, "errors must be paired")
        self.init(differences: zip(challengerSquaredErrors, championSquaredErrors).map { $0 - $1 })
    }

    /// `differences` are challenger − champion, one per row.
    package init(differences: [Double]) {
        precondition(!differences.isEmpty, "a t-test needs at least one difference")
        let count = Double(differences.count)
        // numpy's pairwise mean and variance, so the statistic agrees with scipy beyond the tolerance.
        let mean = NumPy.mean(differences)
        meanDifference = mean
        degreesOfFreedom = count - 1
        guard differences.count > 1 else {
            edgeCase = "a single row: the standard deviation and the test are undefined"
            return
        }
        let variance = NumPy.sum(differences.map { ($0 - mean) * ($0 - mean) }) / (count - 1)
        standardDeviationOfDifference = variance.squareRoot()
        if variance == 0 && mean == 0 {
            edgeCase = "every difference is 0: t and p are undefined (scipy: NaN); no difference between the models"
            return
        }
        let t = mean / (variance / count).squareRoot()
        statistic = t
        pvalue = StudentTDistribution.twoSidedPValue(t: t, degreesOfFreedom: degreesOfFreedom)
    }
}
