import Testing

@testable import DriftStats

/// Reference values from scipy 1.17 (`kstwobign.sf`, `chi2.sf`, `chisquare`).
@Suite struct BasicDriftTestsTests {
    @Test func kolmogorovSurvivalMatchesScipy() {
        #expect(abs(BasicDriftTests.kolmogorovSurvival(1.1677484162422844) - 0.1307582241188813) < 1e-9)
        #expect(abs(BasicDriftTests.kolmogorovSurvival(0.5) - 0.9639452436648751) < 1e-9)
        #expect(abs(BasicDriftTests.kolmogorovSurvival(2.0) - 0.0006709252557796953) < 1e-12)
    }

    @Test func kolmogorovSmirnovStatistic() {
        let a = [0.1, 0.5, 0.9, 1.3, 2.2, 2.8, 3.1, 4.0, 4.4, 5.0]
        let b = [1.0, 1.9, 2.5, 3.3, 3.9, 4.8, 5.5, 6.1, 6.6, 7.2, 8.0, 8.8]
        let result = BasicDriftTests.kolmogorovSmirnov(a, b)
        #expect(abs(result.statistic - 0.5) < 1e-12)
        #expect(abs(result.pValue - 0.1307582241188813) < 1e-9)
    }

    @Test func chiSquareSurvivalMatchesScipy() {
        #expect(abs(BasicDriftTests.chiSquareSurvival(7.3, degreesOfFreedom: 3) - 0.06292623645904312) < 1e-10)
        #expect(abs(BasicDriftTests.chiSquareSurvival(0.5, degreesOfFreedom: 1) - 0.47950012218695337) < 1e-10)
        #expect(abs(BasicDriftTests.chiSquareSurvival(40, degreesOfFreedom: 10) / 1.694474393006737e-05 - 1) < 1e-8)
    }

    @Test func chiSquareAgainstReferenceProportions() {
        // Reference proportions 0.4/0.4/0.2, current counts 30/50/20 of 100: scipy chisquare p = 0.0820849986238988.
        let reference = Array(repeating: "a", count: 40) + Array(repeating: "b", count: 40) + Array(repeating: "c", count: 20)
        let current = Array(repeating: "a", count: 30) + Array(repeating: "b", count: 50) + Array(repeating: "c", count: 20)
        #expect(abs(BasicDriftTests.chiSquare(reference, current) - 0.0820849986238988) < 1e-10)
    }

    @Test func identicalSamplesDoNotDrift() {
        let values = (0..<200).map { Double($0 % 37) * 1.5 }
        let result = BasicDriftTests.test(column: "x", reference: .numerical(values), current: .numerical(values))
        #expect(result.stattest == "ks")
        #expect(!result.drifted)
        #expect(result.score == 1)
    }
}
