import DriftData
import Foundation
import Testing

@testable import DriftStats

/// The three-way verdict: better only when the improvement clears the margin with significance, not better when the
/// data show it does not, inconclusive otherwise. Built from the reference sets and from hand-made data.
@Suite("Comparison verdicts")
struct ComparisonVerdictTests {
    private static func comparison(_ set: String) throws -> ModelComparison {
        try Fixture.comparison(set)
    }

    /// Regression data where the challenger's errors are `challengerError` and the champion's `championError`, on
    /// alternating signs so neither model is biased.
    private static func regression(rows: Int, championError: Double, challengerError: Double, jitter: Double = 0.3) throws
        -> ModelComparison
    {
        var generator = SplitMix64(seed: 7)
        var targets: [Double] = [], champion: [Double] = [], challenger: [Double] = []
        for row in 0..<rows {
            let target = Double(row % 17)
            let sign: Double = row % 2 == 0 ? 1 : -1
            let noise = { (generator: inout SplitMix64) in Double(generator.next() >> 11) / Double(1 << 53) * jitter }
            targets.append(target)
            champion.append(target + sign * (championError + noise(&generator)))
            challenger.append(target + sign * (challengerError + noise(&generator)))
        }
        let data = try RegressionComparisonData(targets: targets, championPredictions: champion, challengerPredictions: challenger)
        return ModelComparison(.regression(data), bootstrap: PairedBootstrap(seed: 1, replicateCount: 500))
    }

    @Test func aClearlyBetterChallengerIsBetterByEveryTestThatMeasuresItsMetric() throws {
        let comparison = try Self.comparison("bin_clear_better_n2000")
        for (metric, test) in [
            (ComparedMetric.rocAUC, SignificanceTestKind.delong), (.rocAUC, .bootstrap), (.accuracy, .mcnemar), (.accuracy, .bootstrap),
        ] {
            let verdict = ComparisonVerdict(comparison, rule: SignificanceRule(metric: metric, test: test))
            #expect(verdict.outcome == .better, "\(metric) by \(test): \(verdict.reason)")
            #expect(verdict.difference! > 0)
        }
    }

    @Test func indistinguishableModelsAreInconclusive() throws {
        let comparison = try Self.comparison("bin_indistinguishable_n1000")
        let verdict = ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .bootstrap))
        #expect(verdict.outcome == .inconclusive, "\(verdict.reason)")
        let interval = try #require(verdict.interval)
        #expect(interval[0] < 0 && interval[1] > 0, "the interval straddles no difference")
    }

    @Test func identicalModelsAreNotBetter() throws {
        let comparison = try Self.comparison("bin_identical_models_n300")
        let bootstrap = ComparisonVerdict(comparison, rule: SignificanceRule(metric: .accuracy, test: .bootstrap))
        #expect(bootstrap.outcome == .notBetter, "an interval of [0, 0] never clears a margin of 0: \(bootstrap.reason)")
        let mcnemar = ComparisonVerdict(comparison, rule: SignificanceRule(metric: .accuracy, test: .mcnemar))
        #expect(mcnemar.outcome == .notBetter, "\(mcnemar.reason)")
    }

    @Test func aRealImprovementShortOfTheMarginIsNotBetterByInterval() throws {
        let comparison = try Self.comparison("bin_clear_better_n2000")
        let difference = try #require(ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .bootstrap)).difference)
        let verdict = ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .bootstrap, margin: difference * 10))
        #expect(verdict.outcome == .notBetter, "\(verdict.reason)")
        let straddling = ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .bootstrap, margin: difference))
        #expect(straddling.outcome == .inconclusive, "a margin at the point estimate lies inside the interval: \(straddling.reason)")
    }

    @Test func aSignificantImprovementBelowAPositiveMarginIsInconclusiveByPValue() throws {
        let comparison = try Self.comparison("bin_clear_better_n2000")
        let verdict = ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .delong, margin: 0.5))
        #expect(verdict.outcome == .inconclusive, "\(verdict.reason)")
    }

    @Test func lowerErrorsAreBetterAndHigherErrorsAreSignificantlyWorse() throws {
        let better = try Self.regression(rows: 400, championError: 2, challengerError: 1)
        for test in [SignificanceTestKind.pairedT, .wilcoxon, .bootstrap] {
            let verdict = ComparisonVerdict(better, rule: SignificanceRule(metric: .mse, test: test))
            #expect(verdict.outcome == .better, "\(test): \(verdict.reason)")
            #expect(verdict.difference! < 0, "challenger − champion of an error is negative when the challenger is better")
        }
        let worse = try Self.regression(rows: 400, championError: 1, challengerError: 2)
        for test in [SignificanceTestKind.pairedT, .wilcoxon, .bootstrap] {
            let verdict = ComparisonVerdict(worse, rule: SignificanceRule(metric: .mse, test: test))
            #expect(verdict.outcome == .notBetter, "\(test): \(verdict.reason)")
        }
    }

    @Test func tooFewRowsIsInconclusiveWhateverTheData() throws {
        let comparison = try Self.comparison("bin_clear_better_n2000")
        let verdict = ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .delong, minSamples: 5000))
        #expect(verdict.outcome == .inconclusive)
        #expect(verdict.reason.contains("fewer than the 5000"))
    }

    @Test func anUndefinedTestIsInconclusiveAndSaysWhy() throws {
        let comparison = try Self.comparison("bin_one_class_n100")
        let verdict = ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .delong))
        #expect(verdict.outcome == .inconclusive)
        #expect(verdict.reason.contains("undefined"), "\(verdict.reason)")
    }

    @Test func aMetricOrTestThatDoesNotFitIsInconclusiveNotAGuess() throws {
        let comparison = try Self.comparison("reg_better_n800")
        #expect(ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .bootstrap)).outcome == .inconclusive)
        #expect(ComparisonVerdict(comparison, rule: SignificanceRule(metric: .mae, test: .pairedT)).outcome == .inconclusive)
    }

    @Test func theBootstrapIntervalFollowsAlpha() throws {
        let comparison = try Self.comparison("bin_clear_better_n2000")
        let wide = try #require(ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .bootstrap, alpha: 0.01)).interval)
        let narrow = try #require(ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .bootstrap, alpha: 0.2)).interval)
        #expect(wide[0] < narrow[0] && wide[1] > narrow[1])
        // At alpha 0.05 it is the reference's stored 95 % percentile interval, bit for bit.
        let standard = ComparisonVerdict(comparison, rule: SignificanceRule(metric: .rocAUC, test: .bootstrap))
        #expect(standard.interval == comparison.bootstrap.rocAUCDiff?.ci95Percentile)
    }
}
