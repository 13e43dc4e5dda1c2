/// scipy's `mannwhitneyu(reference, current, alternative="less")` as Evidently calls it: one-sided, so it only
/// flags a current that shifted up. Exact for samples of at most 8 without ties, else the normal approximation
/// with tie and continuity corrections.
enum MannWhitneyTest {
    static func pValueLess(_ x: [Double], _ y: [Double]) -> Double {
        let n1 = Double(x.count), n2 = Double(y.count)
        let pooled = (x.map { ($0, true) } + y.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSumX = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < pooled.count {
            var end = start
            while end + 1 < pooled.count, pooled[end + 1].0 == pooled[start].0 { end += 1 }
            let rank = Double(start + end) / 2 + 1
            let ties = Double(end - start + 1)
            tieTerm += ties * ties * ties - ties
            for index in start...end where pooled[index].1 { rankSumX += rank }
            start = end + 1
        }
        let u1 = rankSumX - n1 * (n1 + 1) / 2
        let u2 = n1 * n2 - u1
        if x.count <= 8 && y.count <= 8 && tieTerm == 0 {
            return min(max(Self.exactSurvival(u2, Int(n1), Int(n2)), 0), 1)
        }
        let n = n1 + n2
        let spread = (n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
        let z = (u2 - n1 * n2 / 2 - 0.5) / spread
        return min(max(NormalDistribution.survival(z), 0), 1)
    }

    /// P(U >= u) under the null, by counting rank arrangements.
    private static func exactSurvival(_ u: Double, _ n1: Int, _ n2: Int) -> Double {
        let maxU = n1 * n2
        // f[m][n][u]: arrangements of m x-values and n y-values whose U statistic is u.
        var f = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: n2 + 1), count: n1 + 1)
        for m in 0...n1 {
            for n in 0...n2 {
                for value in 0...maxU {
                    if m == 0 || n == 0 {
                        f[m][n][value] = value == 0 ? 1 : 0
                    } else {
                        f[m][n][value] = (value >= n ? f[m - 1][n][value - n] : 0) + f[m][n - 1][value]
                    }
                }
            }
        }
        let total = f[n1][n2].reduce(0, +)
        let threshold = Int(u.rounded(.up))
        return f[n1][n2][max(threshold, 0)...].reduce(0, +) / total
    }
}
