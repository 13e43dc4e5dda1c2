/// Two-sample Kolmogorov-Smirnov, two-sided, as scipy's `ks_2samp` with `method='auto'`.
enum KolmogorovSmirnovTest {
    static func statistic(_ a: [Double], _ b: [Double]) -> Double {
        let x = FloatRadixSort.sorted(a)
        let y = FloatRadixSort.sorted(b)
        let n = Double(x.count), m = Double(y.count)
        var i = 0, j = 0
        var largest = 0.0
        while i < x.count || j < y.count {
            let value = min(i < x.count ? x[i] : .infinity, j < y.count ? y[j] : .infinity)
            while i < x.count, x[i] == value { i += 1 }
            while j < y.count, y[j] == value { j += 1 }
            largest = max(largest, abs(Double(i) / n - Double(j) / m))
        }
        return largest
    }

    static func pValue(_ a: [Double], _ b: [Double]) throws(StatTestError) -> Double {
        guard !a.isEmpty, !b.isEmpty else { throw StatTestError.emptyColumn("") }
        return KolmogorovSmirnovDistribution.twoSidedPValue(statistic: Self.statistic(a, b), n1: a.count, n2: b.count)
    }
}
