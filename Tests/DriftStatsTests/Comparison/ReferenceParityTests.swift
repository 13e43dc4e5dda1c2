import Foundation
import Testing

@testable import DriftStats

/// Every quantity of every expected JSON, compared with the report computed from the CSV, within section 7's
/// tolerances. Keys the report does not carry itself (aliases, debugging views of the replicates, the
/// cross-checks) are derived from the report before the comparison; see `ReferenceParity.actualJSON`.
@Suite("Parity with the reference fixtures")
struct ReferenceParityTests {
    @Test("Top-level fields (task, csv, n, n_positive, classes, threshold rule)", arguments: Fixture.allSets)
    func topLevelFieldsMatch(set: String) throws {
        let expected = try Fixture.expected(set)
        for key in ["task", "csv", "n", "n_positive", "classes", "threshold_rule"] {
            try ReferenceParity.expectMatch(set: set, section: key, in: expected)
        }
    }

    @Test("Every top-level section of the expected JSON is checked by one of these tests", arguments: Fixture.allSets)
    func noSectionIsLeftUnchecked(set: String) throws {
        guard case .object(let members) = try Fixture.expected(set) else {
            Issue.record("\(set): the expected JSON is not an object")
            return
        }
        let checked: Set<String> = [
            "task", "csv", "n", "n_positive", "classes", "threshold_rule", "metrics", "mcnemar", "delong", "bootstrap",
            "paired_t_test", "wilcoxon",
        ]
        let descriptive: Set<String> = ["description", "reference_versions", "squared_error_difference"]
        #expect(Set(members.keys).subtracting(checked).subtracting(descriptive).isEmpty)
    }

    @Test("Metrics match sklearn 1.9.1", arguments: Fixture.allSets)
    func metricsMatch(set: String) throws {
        try ReferenceParity.expectMatch(set: set, section: "metrics")
    }

    @Test("McNemar matches statsmodels", arguments: Fixture.binarySets + Fixture.multiclassSets)
    func mcnemarMatches(set: String) throws {
        try ReferenceParity.expectMatch(set: set, section: "mcnemar")
    }

    @Test("DeLong matches the reference and R pROC", arguments: Fixture.binarySets)
    func deLongMatches(set: String) throws {
        try ReferenceParity.expectMatch(set: set, section: "delong")
    }

    @Test("Paired bootstrap matches bit for bit", arguments: Fixture.allSets)
    func bootstrapMatches(set: String) throws {
        try ReferenceParity.expectMatch(set: set, section: "bootstrap")
    }

    @Test("Paired t-test matches scipy", arguments: Fixture.regressionSets)
    func pairedTTestMatches(set: String) throws {
        try ReferenceParity.expectMatch(set: set, section: "paired_t_test")
    }

    @Test("Wilcoxon signed-rank matches scipy", arguments: Fixture.regressionSets)
    func wilcoxonMatches(set: String) throws {
        try ReferenceParity.expectMatch(set: set, section: "wilcoxon")
    }

    /// Not a check of its own: prints the largest error seen per quantity, for the record.
    @Test("Largest deviation per quantity (printed)")
    func largestDeviationPerQuantity() throws {
        var worst: [String: (absolute: Double, relative: Double, tolerance: Tolerance)] = [:]
        for set in Fixture.allSets {
            let walker = try ReferenceParity.walk(set: set, section: nil)
            for comparison in walker.comparisons {
                let key = comparison.path.split(separator: ".").filter { Int($0) == nil }.joined(separator: ".")
                let absolute = abs(comparison.expected - comparison.actual)
                let relative = comparison.expected == 0 ? absolute : absolute / abs(comparison.expected)
                let previous = worst[key] ?? (0, 0, comparison.tolerance)
                worst[key] = (max(previous.absolute, absolute), max(previous.relative, relative), comparison.tolerance)
            }
        }
        for key in worst.keys.sorted() {
            let entry = worst[key]!
            print("parity \(key): max abs \(entry.absolute), max rel \(entry.relative), tolerance \(entry.tolerance)")
        }
        #expect(!worst.isEmpty)
    }
}

enum ReferenceParity {
    /// Where this implementation reports something else than the raw library output on purpose.
    static func documentedDeviations(for set: String) -> [String: String] {
        if set == "bin_one_class_n100" {
            return ["delong.cross_check_R_pROC": "pROC refuses (\"No case observation.\"); `defined: false` says the same"]
        }
        guard set == "bin_identical_models_n300" else { return [:] }
        let noDiscordantPairs = "statsmodels' chi2 = inf/p = 0 and nan/nan are replaced by 'no discordant pairs'"
        return [
            "mcnemar.chi2_continuity_corrected": noDiscordantPairs,
            "mcnemar.chi2_uncorrected": noDiscordantPairs,
            "mcnemar.binomtest_two_sided_pvalue": "scipy's binomtest(0, 0) raises; the exact p is 1",
            "delong.cross_check_R_pROC.z": "pROC's Z = 0 convention for identical curves; reported as undefined",
            "delong.cross_check_R_pROC.pvalue": "pROC's p = 1 convention for identical curves; reported as undefined",
            "delong.cross_check_R_pROC.note": "the note on pROC's convention above",
        ]
    }

    static func walk(set: String, section: String?) throws -> ParityWalker {
        let expected = try Fixture.expected(set)
        let actual = try actualJSON(set: set)
        var walker = ParityWalker(documentedDeviations: documentedDeviations(for: set))
        if let section {
            if let expectedSection = expected[section] {
                walker.compare(expected: expectedSection, actual: actual[section], path: section)
            }
        } else {
            walker.compare(expected: expected, actual: actual, path: "")
        }
        return walker
    }

    static func expectMatch(set: String, section: String, in expected: JSONValue? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let walker = try walk(set: set, section: section)
        for failure in walker.failures {
            Issue.record("\(set): \(failure)", sourceLocation: sourceLocation)
        }
        let expectedSection = try (expected ?? Fixture.expected(set))[section]
        if expectedSection != nil, section != "csv", section != "task", section != "threshold_rule" {
            #expect(
                walker.checkedLeafCount > 0, "\(set): nothing compared in \(section)",
                sourceLocation: sourceLocation)
        }
    }

    /// The report as JSON, plus the quantities the reference records under other names or for debugging.
    static func actualJSON(set: String) throws -> JSONValue {
        let report = try Fixture.comparison(set)
        var json = try JSONValue(encoding: report)

        if let mcnemar = report.mcnemar {
            // Both are the exact McNemar p-value, by scipy's binomtest and by an exact integer sum.
            json.set(.number(mcnemar.exact.pvalue), at: "mcnemar.binomtest_two_sided_pvalue")
            json.set(.number(mcnemar.exact.pvalue), at: "mcnemar.exact_pvalue_exact_integer_sum")
        }
        if let delong = report.delong, delong.defined, case .binary(let metrics) = report.metrics {
            let data = try Fixture.binaryData(set)
            json.set(.numbers([delong.aucChampion!, delong.aucChallenger!]), at: "delong.auc_rank_formula")
            json.set(.numbers([metrics.champion.rocAUC!, metrics.challenger.rocAUC!]), at: "delong.sklearn_roc_auc")
            let proc: [String: Double?] = [
                "auc_champion": delong.aucChampion, "auc_challenger": delong.aucChallenger,
                "var_champion": delong.varianceChampion, "var_challenger": delong.varianceChallenger,
                "cov": delong.covariance, "z": delong.z, "pvalue": delong.pvalue,
            ]
            for (key, value) in proc {
                json.set(value.map(JSONValue.number) ?? .null, at: "delong.cross_check_R_pROC.\(key)")
            }
            let check = DeLongCrossCheck(data: data)
            json.set(.number(check.largestCovarianceDifference), at: "delong.check_naive_vs_fast.max_abs_diff_covariance")
            json.set(.number(check.largestAUCDifference), at: "delong.check_naive_vs_fast.max_abs_diff_auc")
        }
        let distributions: [(String, BootstrapDistribution?)] = [
            ("accuracy_diff", report.bootstrap.accuracyDiff), ("f1_diff", report.bootstrap.f1Diff),
            ("roc_auc_diff", report.bootstrap.rocAUCDiff), ("f1_macro_diff", report.bootstrap.f1MacroDiff),
            ("mse_diff", report.bootstrap.mseDiff), ("mae_diff", report.bootstrap.maeDiff),
        ]
        for (key, distribution) in distributions {
            guard let distribution, !distribution.replicates.isEmpty else { continue }
            let replicates = distribution.replicates
            json.set(.numbers(Array(replicates.prefix(5))), at: "bootstrap.\(key).first_5_replicates")
            let sorted = replicates.sorted()
            if sorted.count > 1950 {
                json.set(.numbers([49, 50, 1949, 1950].map { sorted[$0] }), at: "bootstrap.\(key).sorted_at_49_50_1949_1950")
            }
        }
        return json
    }
}

/// The note's check that the O(N log N) DeLong components equal the O(m·n) definition.
struct DeLongCrossCheck {
    var largestCovarianceDifference = 0.0
    var largestAUCDifference = 0.0

    init(data: BinaryComparisonData) {
        let fast = [data.championScores, data.challengerScores].map {
            DeLongTest.fastPlacements(labels: data.labels, scores: $0)
        }
        let direct = [data.championScores, data.challengerScores].map {
            DeLongTest.directPlacements(labels: data.labels, scores: $0)
        }
        let fastTest = DeLongTest(champion: fast[0], challenger: fast[1])
        let directTest = DeLongTest(champion: direct[0], challenger: direct[1])
        let pairs: [(Double?, Double?)] = [
            (fastTest.varianceChampion, directTest.varianceChampion),
            (fastTest.varianceChallenger, directTest.varianceChallenger),
            (fastTest.covariance, directTest.covariance),
        ]
        largestCovarianceDifference = pairs.map { abs(($0 ?? .nan) - ($1 ?? .nan)) }.max() ?? .nan
        largestAUCDifference = max(abs(fast[0].auc - direct[0].auc), abs(fast[1].auc - direct[1].auc))
    }
}
