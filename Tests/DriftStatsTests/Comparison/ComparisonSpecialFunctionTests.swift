import Foundation
import Testing

@testable import DriftStats

/// The special functions against values computed with scipy 1.17.1 (t), exact rational sums (binomial) and
/// mpmath at 40 digits (normal tail), at section 7's p-value tolerance.
@Suite("Special functions")
struct ComparisonSpecialFunctionTests {
    static func expectPValue(_ actual: Double, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            Tolerance.pValue.accepts(expected: expected, actual: actual), "\(actual) vs \(expected)",
            sourceLocation: sourceLocation)
    }

    @Test(
        "Student t two-sided p-values match scipy",
        arguments: [
            (2.0, 5.0, 0.10193947882985835),
            (-4.532135264419945, 799.0, 6.731676209366496e-06),
            (0.1, 1.0, 0.936548965138893),
            (50.0, 3.0, 1.761715204127197e-05),
            (1e-3, 1e6, 0.9992021157716492),
            (-7.0, 1e6, 2.561224111374084e-12),
            (3.0, 20000.0, 0.002703121038120492),
        ])
    func studentTMatchesScipy(t: Double, degreesOfFreedom: Double, expected: Double) {
        Self.expectPValue(StudentTDistribution.twoSidedPValue(t: t, degreesOfFreedom: degreesOfFreedom), expected)
    }

    @Test(
        "Fair-coin binomial tails match exact integer sums",
        arguments: [
            (355, 118, 2.5927515894131594e-10),
            (2000, 900, 8.457089535503927e-06),
            (15, 4, 0.11846923828125),
            (9, 1, 0.0390625),
            (10, 5, 1.0),
            (207, 100, 0.6767596279775558),
        ])
    func binomialTailMatchesExactSum(trials: Int, successes: Int, expectedTwoSided: Double) {
        let twoSided = min(1, 2 * BinomialDistribution.fairCoinLowerTail(upTo: successes, trials: trials))
        Self.expectPValue(twoSided, expectedTwoSided)
    }

    @Test(
        "Normal two-sided p-values keep relative precision deep in the tail",
        arguments: [
            (10.0, 1.5239706048321052132e-23),
            (30.0, 9.8134278542963741191e-198),
            (37.0, 1.1451142445049153645e-299),
        ])
    func normalTailKeepsRelativePrecision(z: Double, expected: Double) {
        let p = NormalDistribution.twoSidedPValue(z: z)
        #expect(abs(p - expected) <= 1e-9 * expected, "\(p) vs \(expected)")
        #expect(NormalDistribution.twoSidedPValue(z: -z) == p)
    }
}
