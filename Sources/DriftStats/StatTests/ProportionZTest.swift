/// Evidently's two-proportion z-test on the share of the first category (sorted); other categories count as one.
enum ProportionZTest {
    static func pValue(_ reference: DriftSample, _ current: DriftSample) -> Double {
        let referenceKeys = reference.keys
        let currentKeys = current.keys
        let referenceSet = Set(referenceKeys)
        let currentSet = Set(currentKeys)
        if referenceSet.count == 1, referenceSet == currentSet { return 1 }
        guard let first = referenceSet.union(currentSet).min() else { return .nan }
        let n = Double(referenceKeys.count), m = Double(currentKeys.count)
        let p1 = Double(referenceKeys.filter { $0 != first }.count) / n
        let p2 = Double(currentKeys.filter { $0 != first }.count) / m
        let pooled = (p1 * n + p2 * m) / (n + m)
        let z = (p1 - p2) / (pooled * (1 - pooled) * (1 / n + 1 / m)).squareRoot()
        return 2 * (1 - NormalDistribution.cdf(abs(z)))
    }
}
