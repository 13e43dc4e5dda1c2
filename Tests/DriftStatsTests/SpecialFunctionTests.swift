import Testing

@testable import DriftStats

/// Reference values from scipy 1.17 (`stats.t`, `stats.norm`, `stats.chi2`, `kstwobign`, `ks_2samp`, `mannwhitneyu`).
@Suite struct SpecialFunctionTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-10) -> Bool { abs(a - b) <= tolerance * max(abs(b), 1e-300) }

    @Test func distributionTailsMatchScipy() {
        #expect(self.close(StudentTDistribution.twoSidedPValue(t: 2.1, degreesOfFreedom: 17), 0.05095984722913399))
        #expect(self.close(NormalDistribution.survival(3.3), 0.00048342414238377744))
        #expect(self.close(ChiSquareDistribution.survival(7.3, degreesOfFreedom: 3), 0.06292623645904312))
        #expect(self.close(ChiSquareDistribution.survival(40, degreesOfFreedom: 10), 1.694474393006737e-05))
        #expect(self.close(KolmogorovSmirnovDistribution.kolmogorovSurvival(1.1677484162422844), 0.1307582241188813, 1e-9))
    }

    @Test func exactKolmogorovSmirnovForUnequalSizes() throws {
        let a = [0.1, 0.5, 0.9, 1.3, 2.2, 2.8, 3.1, 4.0, 4.4, 5.0]
        let b = [1.0, 1.9, 2.5, 3.3, 3.9, 4.8, 5.5, 6.1, 6.6, 7.2, 8.0, 8.8]
        #expect(KolmogorovSmirnovTest.statistic(a, b) == 0.5)
        #expect(self.close(try KolmogorovSmirnovTest.pValue(a, b), 0.09270296267200293))
    }

    @Test func exactMannWhitneyForSmallSamples() {
        #expect(self.close(MannWhitneyTest.pValueLess([1.2, 3.4, 2.2, 5.1], [2.0, 4.4, 6.1, 7.3, 3.3]), 0.20634920634920634))
    }

    @Test func besselKMatchesScipy() {
        #expect(self.close(Special.besselK(order: 0.25, 0.7), 0.6805753644010555, 1e-15))
        #expect(self.close(Special.besselK(order: 0.25, 3.3), 0.024817204078615072, 1e-15))
        #expect(self.close(Special.besselK(order: 0.25, 25.0), 3.468411261478803e-12, 1e-14))
    }
}
