import Testing

@testable import DriftStats

/// `drift.correction` (issue 19 item 5): adjusted p-values as scipy 1.15.3's `false_discovery_control(p, method="bh")`
/// and Bonferroni's min(1, p·m) give them, then the dataset verdict on the adjusted values.
@Suite struct MultipleTestingCorrectionTests {
    @Test(arguments: [
        ([0.01, 0.04, 0.03, 0.005], [0.02, 0.04, 0.039999999999999994, 0.02], [0.04, 0.16, 0.12, 0.02]),
        ([0.5, 0.9, 0.001], [0.75, 0.9, 0.003], [1, 1, 0.003]),
        ([0.02, 0.02, 0.02, 0.5, 0.0001], [0.025, 0.025, 0.025, 0.5, 0.0005], [0.1, 0.1, 0.1, 1, 0.0005]),
    ])
    func adjustedPValuesMatchScipy(_ pValues: [Double], _ benjaminiHochberg: [Double], _ bonferroni: [Double]) {
        let bh = MultipleTestingCorrection.benjaminiHochberg.adjusted(pValues)
        #expect(zip(bh, benjaminiHochberg).allSatisfy { abs($0 - $1) <= 1e-15 }, "\(bh)")
        #expect(MultipleTestingCorrection.bonferroni.adjusted(pValues) == bonferroni)
        #expect(MultipleTestingCorrection.none.adjusted(pValues) == pValues)
    }

    static func column(_ name: String, _ stattest: String, _ score: Double, threshold: Double = 0.05) -> DataDriftReport.Column {
        let method = StatTestMethod(rawValue: stattest)!
        return DataDriftReport.Column(
            column: name, columnType: .numerical, stattest: stattest, score: score, threshold: threshold,
            drifted: method.isDrift(score: score, threshold: threshold), referenceCount: 100, currentCount: 100, error: nil)
    }

    @Test func onlyPValueColumnsAreAdjustedAndDecideAgain() {
        let columns = [
            Self.column("a", "ks", 0.01), Self.column("b", "chisquare", 0.04), Self.column("c", "ks", 0.03),
            Self.column("d", "z", 0.005), Self.column("e", "wasserstein", 0.2, threshold: 0.1),
        ]
        #expect(columns.filter(\.drifted).count == 5)
        let bonferroni = DataDriftAnalysis.corrected(columns, by: .bonferroni)
        #expect(bonferroni.map(\.adjustedScore) == [0.04, 0.16, 0.12, 0.02, nil])
        // a (0.04 <= 0.05) and d stay drifted; b and c no longer; the distance column is as it was.
        #expect(bonferroni.map(\.drifted) == [true, false, false, true, true])
        let bh = DataDriftAnalysis.corrected(columns, by: .benjaminiHochberg)
        #expect(bh.map(\.drifted) == [true, true, true, true, true])
        #expect(DataDriftAnalysis.corrected(columns, by: .none).map(\.adjustedScore) == [nil, nil, nil, nil, nil])
    }
}
