/// Evidently's chi-square: a goodness-of-fit test of the current counts against the reference proportions scaled
/// to the current size (not a homogeneity test). A category only in current gives p = 0; one category gives NaN.
enum ChiSquareGoodnessOfFit {
    static func pValue(_ counts: CategoryCounts) -> Double {
        let n = counts.reference.reduce(0, +)
        let m = counts.current.reduce(0, +)
        var statistic = 0.0
        for index in counts.keys.indices {
            let expected = counts.reference[index] * (m / n)
            let observed = counts.current[index]
            if expected == 0 {
                if observed > 0 { return 0 }
                continue
            }
            statistic += (observed - expected) * (observed - expected) / expected
        }
        let degrees = Double(counts.keys.count - 1)
        guard degrees > 0 else { return .nan }
        return ChiSquareDistribution.survival(statistic, degreesOfFreedom: degrees)
    }
}
