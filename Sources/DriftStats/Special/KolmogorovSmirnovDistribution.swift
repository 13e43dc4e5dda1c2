import Foundation

/// The two-sample Kolmogorov-Smirnov p-value as scipy's `ks_2samp(method='auto')` computes it: exact (on the
/// lattice h/lcm(n, m)) when both samples have at most 10,000 values, else the asymptotic Kolmogorov tail.
enum KolmogorovSmirnovDistribution {
    static let maxExactSize = 10_000

    static func twoSidedPValue(statistic d: Double, n1: Int, n2: Int) -> Double {
        if max(n1, n2) <= Self.maxExactSize {
            let g = Self.gcd(n1, n2)
            let lcm = Double(n1 / g) * Double(n2)
            let h = Int((d * lcm).rounded(.toNearestOrEven))
            if h == 0 { return 1 }
            let probability =
                n1 == n2
                ? KolmogorovSmirnovExact.probabilityOutsideSquare(n: n1, h: h)
                : Self.probabilityOutsideInside(m: n1, n: n2, g: g, h: h)
            if probability.isFinite, (0...1).contains(probability) { return probability }
        }
        // scipy uses kstwo.sf(d, round(n*m/(n+m))) here; the Kolmogorov limit agrees to ~1e-3 at these sizes.
        let en = (Double(n1) * Double(n2) / Double(n1 + n2)).rounded()
        return min(max(Self.kolmogorovSurvival(d * en.squareRoot()), 0), 1)
    }

    /// scipy's `_compute_outer_prob_inside_method`: 1 - P(paths stay strictly inside the band), computed directly.
    static func probabilityOutsideInside(m: Int, n: Int, g: Int, h: Int) -> Double {
        var (m, n) = (m, n)
        if m < n { (m, n) = (n, m) }
        let mg = m / g
        let ng = n / g
        var minj = 0
        var maxj = min(Int((Double(h) / Double(mg)).rounded(.up)), n + 1)
        var currentLength = maxj - minj
        let length = min(2 * maxj + 2, n + 1)
        var a = [Double](repeating: 1, count: length)
        for index in minj..<maxj { a[index] = 0 }
        for i in 1...m {
            let lastMinj = minj
            let lastLength = currentLength
            minj = max(Int((Double(ng * i - h) / Double(mg)).rounded(.down)) + 1, 0)
            minj = min(minj, n)
            maxj = min(Int((Double(ng * i + h) / Double(mg)).rounded(.up)), n + 1)
            if maxj <= minj { return 1 }
            var value = minj == 0 ? 0.0 : 1.0
            for jj in 0..<(maxj - minj) {
                let j = jj + minj
                value = (a[jj + minj - lastMinj] * Double(i) + value * Double(j)) / Double(i + j)
                a[jj] = value
            }
            currentLength = maxj - minj
            if lastLength > currentLength {
                for index in (maxj - minj)..<min(maxj - minj + (lastLength - currentLength), length) { a[index] = 1 }
            }
        }
        return a[maxj - minj - 1]
    }

    /// The Kolmogorov distribution's tail (scipy's `kstwobign.sf`).
    static func kolmogorovSurvival(_ x: Double) -> Double {
        guard x >= 0.27 else { return 1 }
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * x * x) * (k % 2 == 1 ? 1 : -1)
            sum += term
            if abs(term) < 1e-16 { break }
        }
        return min(1, max(0, 2 * sum))
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
