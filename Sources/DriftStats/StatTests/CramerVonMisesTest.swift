import Foundation

/// The two-sample Cramér-von Mises test as Evidently's copy of scipy's `_cvm_2samp` computes it: exact for
/// samples of at most 20, else the normalised statistic against the limiting distribution.
enum CramerVonMisesTest {
    static func pValue(_ x: [Double], _ y: [Double]) -> Double {
        let nx = x.count, ny = y.count
        let pooled = (x.sorted().map { ($0, true) } + y.sorted().map { ($0, false) })
        let order = pooled.indices.sorted { pooled[$0].0 < pooled[$1].0 }
        var ranks = [Double](repeating: 0, count: pooled.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, pooled[order[end + 1]].0 == pooled[order[start]].0 { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = rank }
            start = end + 1
        }
        var u = 0.0
        for i in 0..<nx { u += Double(nx) * (ranks[i] - Double(i + 1)) * (ranks[i] - Double(i + 1)) }
        for j in 0..<ny { u += Double(ny) * (ranks[nx + j] - Double(j + 1)) * (ranks[nx + j] - Double(j + 1)) }
        if max(nx, ny) <= 20 { return Self.exactPValue(u: u, nx: nx, ny: ny) }
        let k = Double(nx * ny), n = Double(nx + ny)
        let t = u / (k * n) - (4 * k - 1) / (6 * n)
        let expected = (1 + 1 / n) / 6
        var variance = (n + 1) * (4 * k * n - 3 * (Double(nx * nx) + Double(ny * ny)) - 2 * k)
        variance = variance / (45 * n * n * 4 * k)
        let normalised = 1.0 / 6 + (t - expected) / (45 * variance).squareRoot()
        if normalised < 0.003 { return 1 }
        return max(0, 1 - Self.limitingCDF(normalised))
    }

    /// scipy's `_cdf_cvm_inf`: the series of Anderson & Darling (1952) with the modified Bessel function K_{1/4}.
    static func limitingCDF(_ x: Double) -> Double {
        var total = 0.0
        for k in 0..<100 {
            let kk = Double(k)
            let u = exp(lgamma(kk + 0.5) - lgamma(kk + 1)) / (pow(Double.pi, 1.5) * x.squareRoot())
            let y = 4 * kk + 1
            let q = y * y / (16 * x)
            let term = u * y.squareRoot() * exp(-q) * Special.besselK(order: 0.25, q)
            total += term
            if abs(term) < 1e-7 { break }
        }
        return total
    }

    /// scipy's `_pval_cvm_2samp_exact`: P(U >= u) over all placements of the two samples. Placing the i-th x after
    /// j y's gives it rank i + j, adding nx·j² to U; placing a y after i x's adds ny·i².
    static func exactPValue(u: Double, nx: Int, ny: Int) -> Double {
        var table: [[[Int: Double]]] = Array(repeating: Array(repeating: [:], count: ny + 1), count: nx + 1)
        table[0][0][0] = 1
        for i in 0...nx {
            for j in 0...ny where i + j > 0 {
                var cell: [Int: Double] = [:]
                if i > 0 { for (value, count) in table[i - 1][j] { cell[value + nx * j * j, default: 0] += count } }
                if j > 0 { for (value, count) in table[i][j - 1] { cell[value + ny * i * i, default: 0] += count } }
                table[i][j] = cell
            }
        }
        let final = table[nx][ny]
        let total = final.values.reduce(0, +)
        let atLeast = final.filter { Double($0.key) >= u - 1e-9 }.values.reduce(0, +)
        return atLeast / total
    }
}
