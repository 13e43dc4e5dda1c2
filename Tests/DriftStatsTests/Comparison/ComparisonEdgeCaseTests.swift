import Foundation
import Testing

@testable import DriftStats

/// One test per trap and edge case the significance note lists, named after the case.
@Suite("Edge cases of SIGNIFICANCE-METHOD.md")
struct ComparisonEdgeCaseTests {
    // MARK: Metrics (section 2)

    @Test("A score of exactly 0.5 is predicted positive")
    func scoreOfExactlyHalfIsPredictedPositive() throws {
        #expect(BinaryDecision.predictedLabel(score: 0.5) == 1)
        #expect(BinaryDecision.predictedLabel(score: 0.5.nextDown) == 0)
        let data = try Fixture.binaryData("bin_score_ties_n500")
        #expect(data.challengerScores.contains(0.5))
        let metrics = BinaryClassificationMetrics(labels: data.labels, scores: data.challengerScores)
        #expect(metrics.predictedPositiveCount == data.challengerScores.filter { $0 >= 0.5 }.count)
        #expect(metrics.predictedPositiveCount == 248)
    }

    @Test("Log loss clips both columns [1 − p, p] to [ε, 1 − ε] before the logarithm")
    func logLossClipsBothColumnsBeforeTakingLogs() {
        let certainWrong = ProbabilityLosses.logLoss(labels: [0], probabilities: [1])
        #expect(certainWrong == -log(Double.ulpOfOne))
        #expect(abs(certainWrong - 36.04365338911715) <= 1e-12)
        #expect(ProbabilityLosses.logLoss(labels: [1], probabilities: [0]) == certainWrong)
        let certainRight = ProbabilityLosses.logLoss(labels: [1], probabilities: [1])
        #expect(certainRight == -log(1 - Double.ulpOfOne))
        #expect(certainRight > 0)
        #expect(ProbabilityLosses.logLoss(labels: [0], probabilities: [0]) == certainRight)
    }

    @Test("Log loss of single-class labels is defined (labels = [0, 1])")
    func logLossOfSingleClassLabelsIsDefined() throws {
        let data = try Fixture.binaryData("bin_one_class_n100")
        #expect(Set(data.labels) == [0])
        let loss = ProbabilityLosses.logLoss(labels: data.labels, probabilities: data.championScores)
        #expect(abs(loss - 0.3650922584566618) <= 1e-12)
    }

    @Test("ROC AUC with one class is NaN with an error")
    func rocAUCWithOneClassIsNaNWithAnError() throws {
        let data = try Fixture.binaryData("bin_one_class_n100")
        let outcome = ROCAUC.outcome(labels: data.labels, scores: data.championScores)
        #expect(outcome.value.isNaN)
        #expect(outcome.error == .onlyOneClassPresent)
        #expect(throws: ROCAUCError.onlyOneClassPresent) { try ROCAUC.score(labels: data.labels, scores: data.championScores) }
        let metrics = BinaryClassificationMetrics(labels: data.labels, scores: data.championScores)
        #expect(metrics.rocAUC == nil)
        #expect(metrics.rocAUCError == "Only one class is present in y_true. ROC AUC score is not defined in that case.")
    }

    @Test("ROC AUC: trapezoids and the rank formula may differ in the last bit")
    func rocAUCTrapezoidsAndRankFormulaDifferInTheLastBit() throws {
        let data = try Fixture.binaryData("bin_clear_better_n2000")
        let rankFormula = try ROCAUC.score(labels: data.labels, scores: data.challengerScores)
        #expect(rankFormula == 0.9702063310123309)
        #expect(abs(rankFormula - 0.9702063310123308) <= 1e-12)
    }

    @Test("Midranks: ties count ½ in the ROC AUC")
    func rocAUCTiesCountHalf() throws {
        #expect(try ROCAUC.score(labels: [1, 0], scores: [0.3, 0.3]) == 0.5)
        #expect(try ROCAUC.score(labels: [1, 1, 0, 0], scores: [0.8, 0.4, 0.4, 0.1]) == 0.875)
    }

    @Test("Precision, recall and F1 are 0 on zero division")
    func zeroDivisionGivesZero() throws {
        let oneClass = try Fixture.binaryData("bin_one_class_n100")
        let metrics = BinaryClassificationMetrics(labels: oneClass.labels, scores: oneClass.championScores)
        #expect((metrics.precision, metrics.recall, metrics.f1) == (0, 0, 0))
        let nothingPositive = ConfusionCounts(labels: [0, 0, 0], predictions: [0, 0, 0])
        #expect((nothingPositive.precision, nothingPositive.recall, nothingPositive.f1) == (0, 0, 0))
    }

    @Test("Macro F1 averages over the sorted union of labels and both models' predictions")
    func macroF1UsesTheUnionOfLabelsAndPredictions() throws {
        let data = try MulticlassComparisonData(labels: [0, 0, 1, 1], championPredictions: [0, 2, 1, 1], challengerPredictions: [0, 0, 1, 1])
        #expect(data.classes == [0, 1, 2])
        let champion = MulticlassMetrics(labels: data.labels, predictions: data.championPredictions, classes: data.classes)
        #expect(champion.f1PerClass == [2.0 / 3, 1, 0])
        #expect(abs(champion.f1Macro - 5.0 / 9) <= 1e-15)
        let challenger = MulticlassMetrics(labels: data.labels, predictions: data.challengerPredictions, classes: data.classes)
        #expect(challenger.f1Macro == 2.0 / 3)
    }

    @Test("R² of a constant target is 1 when predicted exactly and 0 otherwise (sklearn force_finite)")
    func rSquaredOfAConstantTargetIsFinite() {
        #expect(RegressionErrorMetrics(targets: [2, 2, 2], predictions: [2, 2, 2]).r2 == 1)
        #expect(RegressionErrorMetrics(targets: [2, 2, 2], predictions: [1, 2, 3]).r2 == 0)
    }

    // MARK: McNemar (section 3)

    @Test("McNemar on a small sample: exact p 0.0390625 vs corrected chi-square p 0.0455")
    func mcnemarExactAndChiSquareDifferOnASmallSample() throws {
        let mcnemar = try #require(try Fixture.comparison("bin_small_n50").mcnemar)
        #expect(mcnemar.exact.pvalue == 0.0390625)
        #expect(mcnemar.exact.statistic == 1)
        let corrected = try #require(mcnemar.chi2ContinuityCorrected)
        #expect(corrected.statistic == 4)
        #expect(abs(corrected.pvalue - 0.04550026389635857) <= 1e-9 * 0.0455)
    }

    @Test("McNemar's continuity correction is not floored at 0: |b − c| = 0 gives 1/(b + c)")
    func mcnemarContinuityCorrectionIsNotFlooredAtZero() throws {
        let test = McNemarTest(bothCorrect: 10, championOnlyCorrect: 5, challengerOnlyCorrect: 5, bothWrong: 3)
        #expect(try #require(test.chi2ContinuityCorrected).statistic == 0.1)
        #expect(try #require(test.chi2Uncorrected).statistic == 0)
        #expect(test.exact.pvalue == 1)
    }

    @Test("McNemar with no discordant pairs reports p = 1, never statsmodels' p = 0")
    func mcnemarWithNoDiscordantPairsReportsPOne() throws {
        let mcnemar = try #require(try Fixture.comparison("bin_identical_models_n300").mcnemar)
        #expect(mcnemar.discordantPairs == 0)
        #expect(mcnemar.exact == McNemarTest.Outcome(statistic: 0, pvalue: 1))
        #expect(mcnemar.chi2ContinuityCorrected == nil)
        #expect(mcnemar.chi2Uncorrected == nil)
        #expect(mcnemar.edgeCase?.contains("no discordant pairs") == true)
    }

    // MARK: DeLong (section 4)

    @Test("DeLong with identical scores: variance 0, z and p undefined, 'no difference'")
    func deLongIdenticalScoresHaveZeroVariance() throws {
        let delong = try #require(try Fixture.comparison("bin_identical_models_n300").delong)
        #expect(delong.defined)
        #expect(delong.varianceOfDifference == 0)
        #expect(delong.standardErrorOfDifference == 0)
        #expect(delong.z == nil && delong.pvalue == nil && delong.ci95 == nil)
        #expect(delong.edgeCase != nil)
    }

    @Test("DeLong with one class in the labels is undefined")
    func deLongWithOneClassIsUndefined() throws {
        let delong = try #require(try Fixture.comparison("bin_one_class_n100").delong)
        #expect(!delong.defined)
        #expect(delong.reason != nil)
        #expect(delong.aucChampion == nil && delong.z == nil)
    }

    @Test("DeLong with a constant-score model stays defined through the other model")
    func deLongConstantScoreModelStaysDefined() throws {
        let labels = [1, 1, 1, 0, 0, 0, 1, 0]
        let constant = [Double](repeating: 0.5, count: labels.count)
        let varied = [0.9, 0.7, 0.4, 0.3, 0.2, 0.6, 0.8, 0.1]
        let delong = DeLongTest(labels: labels, championScores: constant, challengerScores: varied)
        #expect(delong.defined)
        #expect(delong.aucChampion == 0.5)
        #expect(delong.varianceChampion == 0)
        #expect(delong.covariance == 0)
        #expect(try #require(delong.varianceOfDifference) > 0)
        #expect(delong.z != nil && delong.pvalue != nil)
    }

    @Test("DeLong with ties: midranks equal ψ = ½ in the direct definition")
    func deLongTiesMatchTheDirectDefinition() throws {
        let check = DeLongCrossCheck(data: try Fixture.binaryData("bin_score_ties_n500"))
        #expect(check.largestCovarianceDifference <= 1e-12)
        #expect(check.largestAUCDifference <= 1e-12)
    }

    @Test("DeLong keeps the direction '<': a worse-than-random model is not flipped")
    func deLongKeepsTheDirectionForAWorseThanRandomModel() throws {
        let data = try Fixture.binaryData("bin_small_n50")
        let reversed = data.championScores.map { 1 - $0 }
        let delong = DeLongTest(labels: data.labels, championScores: reversed, challengerScores: data.challengerScores)
        let auc = try #require(delong.aucChampion)
        #expect(abs(auc - (1 - 0.9066022544283414)) <= 1e-12)
        #expect(auc < 0.5)
    }

    @Test("DeLong with a very large |z|: z stays finite, p follows erfc and underflows only where the true p does")
    func deLongVeryLargeZKeepsAFiniteZ() throws {
        let rows = 6000
        let labels = (0..<rows).map { $0 % 2 }
        let separating = (0..<rows).map { Double($0 % 2) * 0.5 + Double($0) / Double(4 * rows) }
        let noisy = (0..<rows).map { row in Double((row * 7919) % 1000) / 1000 }
        let delong = DeLongTest(labels: labels, championScores: noisy, challengerScores: separating)
        let z = try #require(delong.z)
        let p = try #require(delong.pvalue)
        // z ≈ 67: the true p is about 1e-975, below the smallest subnormal, so 0 is its correct rounding.
        #expect(z.isFinite && z > 60)
        #expect(p == NormalDistribution.twoSidedPValue(z: z))
        #expect(p < Double.leastNormalMagnitude)
        // Near the subnormal range (z = 37, p ≈ 1.1e-299) p keeps its relative precision; see SpecialFunctionTests.
        let nearSubnormal = NormalDistribution.twoSidedPValue(z: 37)
        #expect(abs(nearSubnormal - 1.1451142445049153645e-299) <= 1e-9 * 1.1451142445049153645e-299)
    }

    // MARK: Bootstrap (section 5)

    @Test("Bootstrap: an AUC replicate with one class is skipped, not redrawn")
    func bootstrapSkipsSingleClassAUCReplicates() throws {
        let data = try BinaryComparisonData(labels: [1, 0, 0, 0], championScores: [0.9, 0.2, 0.4, 0.6], challengerScores: [0.8, 0.1, 0.3, 0.5])
        let bootstrap = PairedBootstrap(replicateCount: 500)
        var singleClassResamples = 0
        bootstrap.forEachResample(rowCount: 4) { indices in
            // Row 0 is the only positive: no positive drawn, or nothing but it, leaves one class.
            if !indices.contains(0) || indices.allSatisfy({ $0 == 0 }) { singleClassResamples += 1 }
        }
        let summary = BootstrapSummary(binary: data, bootstrap: bootstrap)
        let auc = try #require(summary.rocAUCDiff)
        #expect(singleClassResamples > 0)
        #expect(auc.skippedReplicateCount == singleClassResamples)
        #expect(auc.validReplicateCount == 500 - singleClassResamples)
        #expect(summary.accuracyDiff?.validReplicateCount == 500)
    }

    @Test("Bootstrap with one class in the labels: AUC has 0 valid replicates and no interval")
    func bootstrapWithOneClassHasNoAUCInterval() throws {
        let auc = try #require(try Fixture.comparison("bin_one_class_n100").bootstrap.rocAUCDiff)
        #expect(auc.validReplicateCount == 0)
        #expect(auc.skippedReplicateCount == 2000)
        #expect(auc.point == nil && auc.ci95Percentile == nil && auc.replicateMean == nil)
        #expect(auc.note != nil)
    }

    @Test("Bootstrap accuracy is the difference of two doubles, not (c2 − c1)/n")
    func bootstrapAccuracyIsADifferenceOfTwoDoubles() throws {
        let accuracy = try #require(try Fixture.comparison("bin_clear_better_n2000").bootstrap.accuracyDiff)
        let second = accuracy.replicates[1]
        #expect(second == 0.055499999999999994)
        #expect(Double(111) / 2000 != second)
    }

    @Test("Percentile: numpy interpolates from the nearer end when the fraction is ≥ ½")
    func percentileInterpolatesFromTheNearerEnd() {
        let lower = -0.002019986129147251
        let upper = -0.0002155971630897659
        let values = [Double](repeating: lower, count: 50) + [Double](repeating: upper, count: 1950)
        let percentile = NumPy.percentileLinear(sorted: values, 2.5)
        #expect(percentile == -0.00026070688724120047)
        let fraction = 1999 * 0.025 - 49
        #expect(lower + (upper - lower) * fraction != percentile)
    }

    @Test("Identical models give a bootstrap interval of [0, 0]")
    func identicalModelsGiveAZeroInterval() throws {
        let summary = try Fixture.comparison("bin_identical_models_n300").bootstrap
        for distribution in [summary.accuracyDiff, summary.f1Diff, summary.rocAUCDiff] {
            #expect(distribution?.ci95Percentile == [0, 0])
        }
    }

    // MARK: Regression tests (section 6)

    @Test("Wilcoxon drops zero differences before ranking")
    func wilcoxonDropsZeroDifferences() {
        let test = WilcoxonSignedRankTest(differences: Self.fiftyTwoWithThreeZeros)
        #expect(test.zeroDifferenceCount == 3)
        #expect(test.details.nonzeroCount == 49)
        #expect(test.statistic == 425)
        ComparisonSpecialFunctionTests.expectPValue(test.pvalue ?? .nan, 0.062164902145899634)
    }

    @Test("Wilcoxon 'auto' counts zeros towards n > 50: asymptotic although only 49 are non-zero")
    func wilcoxonAutoCountsZerosTowardsTheRowLimit() {
        let test = WilcoxonSignedRankTest(differences: Self.fiftyTwoWithThreeZeros)
        #expect(test.method == .asymptotic)
        #expect(test.methodChosenByAuto == "asymptotic (n > 50)")
    }

    @Test("Wilcoxon ties: midranks and the tie-corrected variance (n = 30, asymptotic)")
    func wilcoxonTiesUseMidranksAndTieCorrection() {
        let differences = [
            0.5, -0.5, 0, 1, 0.5, -0.3, 0.5, -0.5, 1, 0.5, 0, 2, -2, 1.5, 0.25, -0.75, 3, 0.5, -1, 1, 2, 0, 0.125,
            -0.125, 4, 1, -3, 0.5, 2.5, -0.25,
        ]
        let test = WilcoxonSignedRankTest(differences: differences)
        #expect(test.hasTiedAbsoluteDifferences)
        #expect(test.method == .asymptotic)
        #expect(test.statistic == 107.5)
        ComparisonSpecialFunctionTests.expectPValue(test.pvalue ?? .nan, 0.049307222051001444)
    }

    @Test("Wilcoxon exact path: r+ = 356, p = 0.47620780297620513 (reg_small_exact_n40)")
    func wilcoxonExactPathReproducesTheNoteExample() throws {
        let wilcoxon = try #require(try Fixture.comparison("reg_small_exact_n40").wilcoxon)
        #expect(wilcoxon.method == .exact)
        #expect(wilcoxon.details.rankSumPositive == 356)
        ComparisonSpecialFunctionTests.expectPValue(wilcoxon.pvalue ?? .nan, 0.47620780297620513)
        let small = WilcoxonSignedRankTest(differences: [1, 2, -3, 4, 5, 6, -7, 8])
        #expect(small.method == .exact && small.statistic == 10)
        ComparisonSpecialFunctionTests.expectPValue(small.pvalue ?? .nan, 0.3125)
    }

    @Test("Wilcoxon with n ≤ 13 and a zero or a tie uses scipy's permutation test")
    func wilcoxonSmallSampleWithTiesUsesThePermutationTest() {
        let tied = WilcoxonSignedRankTest(differences: [0.5, -0.5, 0, 1, 0.5, -0.25, 0.5, -0.5, 1, 0.5])
        #expect(tied.method == .permutation)
        #expect(tied.statistic == 10)
        ComparisonSpecialFunctionTests.expectPValue(tied.pvalue ?? .nan, 0.1875)
        let nearlyTied = WilcoxonSignedRankTest(
            differences: [0.5, -0.5, 0, 1, 0.5, -0.30000000000000004, 0.49999999999999994, -0.5, 1, 0.5000000000000002]
        )
        #expect(nearlyTied.statistic == 10)
        ComparisonSpecialFunctionTests.expectPValue(nearlyTied.pvalue ?? .nan, 0.15625)
    }

    @Test("Wilcoxon with every difference 0: statistic 0 and no p-value")
    func wilcoxonAllZeroDifferencesHasNoPValue() {
        for count in [5, 40, 60] {
            let test = WilcoxonSignedRankTest(differences: [Double](repeating: 0, count: count))
            #expect(test.statistic == 0)
            #expect(test.pvalue == nil)
            #expect(test.edgeCase != nil)
        }
    }

    @Test("Paired t-test with every difference 0: t and p undefined, 'no difference'")
    func pairedTTestAllZeroDifferencesHasNoStatistic() {
        let test = PairedTTest(differences: [0, 0, 0, 0])
        #expect(test.statistic == nil && test.pvalue == nil)
        #expect(test.edgeCase != nil)
        #expect(test.degreesOfFreedom == 3)
    }

    /// 49 non-zero differences (ranks 1…49, every third negative) and 3 zeros; checked with scipy 1.17.1.
    static let fiftyTwoWithThreeZeros: [Double] = {
        var differences: [Double] = []
        for index in 0..<49 {
            let sign: Double = index % 3 == 0 ? -1 : 1
            differences.append(Double(index + 1) * 0.37 * sign)
        }
        return differences + [0, 0, 0]
    }()
}
