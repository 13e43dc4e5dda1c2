/// Evidently's two-proportion z-test on the share of the first category (sorted); other categories count as one.
enum ProportionZTest {
    static func pValue(_ reference: DriftSample, _ current: DriftSample) -> Double {
        let counts = CategoryCounts(reference, current)
        let referencePresent = counts.keys.indices.filter { counts.reference[$0] > 0 }
        let currentPresent = counts.keys.indices.filter { counts.current[$0] > 0 }
        if referencePresent.count == 1, referencePresent == currentPresent { return 1 }
        guard !counts.keys.isEmpty else { return .nan }
        let n = counts.reference.reduce(0, +), m = counts.current.reduce(0, +)
        let p1 = (n - counts.reference[0]) / n
        let p2 = (m - counts.current[0]) / m
        let pooled = (p1 * n + p2 * m) / (n + m)
        let z = (p1 - p2) / (pooled * (1 - pooled) * (1 / n + 1 / m)).squareRoot()
        return 2 * (1 - NormalDistribution.cdf(abs(z)))
    }
}
