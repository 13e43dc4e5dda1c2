/// scipy's `ttest_ind` with equal variances (Student's pooled test), two-sided.
enum StudentTTest {
    static func pValue(_ a: [Double], _ b: [Double]) -> Double {
        let n1 = Double(a.count), n2 = Double(b.count)
        let mean1 = a.reduce(0, +) / n1, mean2 = b.reduce(0, +) / n2
        let variance1 = a.reduce(0) { $0 + ($1 - mean1) * ($1 - mean1) } / (n1 - 1)
        let variance2 = b.reduce(0) { $0 + ($1 - mean2) * ($1 - mean2) } / (n2 - 1)
        let degrees = n1 + n2 - 2
        let pooled = ((n1 - 1) * variance1 + (n2 - 1) * variance2) / degrees
        let t = (mean1 - mean2) / (pooled * (1 / n1 + 1 / n2)).squareRoot()
        guard t.isFinite else { return .nan }
        return StudentTDistribution.twoSidedPValue(t: t, degreesOfFreedom: degrees)
    }
}
