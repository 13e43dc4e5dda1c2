import Foundation

/// Evidently's g_test: scipy's log-likelihood `power_divergence` of current counts against reference counts, which
/// scipy accepts only when both sides have the same size (Evidently does not rescale), so we refuse the same way.
enum GTest {
    static func pValue(_ reference: DriftSample, _ current: DriftSample) throws(StatTestError) -> Double {
        guard reference.count == current.count else {
            throw StatTestError.unequalSizes(method: "g_test", reference: reference.count, current: current.count)
        }
        let counts = CategoryCounts(reference, current)
        var statistic = 0.0
        for index in counts.keys.indices {
            let observed = counts.current[index], expected = counts.reference[index]
            if observed == 0 { continue }
            if expected == 0 { return 0 }
            statistic += 2 * observed * Foundation.log(observed / expected)
        }
        let degrees = Double(counts.keys.count - 1)
        guard degrees > 0 else { return .nan }
        return ChiSquareDistribution.survival(statistic, degreesOfFreedom: degrees)
    }
}
