import Foundation

/// The few NumPy behaviours Evidently's results depend on, reproduced operation for operation where the last bit
/// matters: permutation p-values (TVD) compare floating-point statistics for exact ties, so a sum must round the
/// way `np.sum` rounds.
enum NumPy {
    /// `np.sum` of a contiguous float64 array: pairwise summation with 8 accumulators in blocks of at most 128.
    static func sum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { pairwiseSum($0) }
    }

    static func pairwiseSum(_ a: UnsafeBufferPointer<Double>) -> Double {
        let n = a.count
        if n < 8 {
            // NumPy starts this loop from -0.0 so that a sum of negative zeros stays -0.0.
            var result = -0.0
            for value in a { result += value }
            return result
        }
        if n <= 128 {
            var r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7]
            var i = 8
            let end = n - n % 8
            while i < end {
                r0 += a[i]
                r1 += a[i + 1]
                r2 += a[i + 2]
                r3 += a[i + 3]
                r4 += a[i + 4]
                r5 += a[i + 5]
                r6 += a[i + 6]
                r7 += a[i + 7]
                i += 8
            }
            var result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n {
                result += a[i]
                i += 1
            }
            return result
        }
        var half = n / 2
        half -= half % 8
        return pairwiseSum(UnsafeBufferPointer(rebasing: a[0..<half]))
            + pairwiseSum(UnsafeBufferPointer(rebasing: a[half..<n]))
    }

    static func mean(_ values: [Double]) -> Double {
        sum(values) / Double(values.count)
    }

    /// `np.var(a, ddof=)`: mean first, then the pairwise sum of squared deviations.
    static func variance(_ values: [Double], ddof: Int) -> Double {
        let m = mean(values)
        let squares = values.map { ($0 - m) * ($0 - m) }
        return sum(squares) / Double(values.count - ddof)
    }

    /// `np.around` for one value: round half to even.
    static func roundHalfEven(_ x: Double) -> Double {
        x.rounded(.toNearestOrEven)
    }

    /// `np.percentile(a, q)` with the default linear method, on ascending `sorted`, interpolated like `_lerp`.
    static func percentileLinear(sorted: [Double], _ q: Double) -> Double {
        let index = Double(sorted.count - 1) * (q / 100)
        let below = index.rounded(.down)
        let gamma = index - below
        let lower = Int(below)
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let a = sorted[lower]
        let b = sorted[upper]
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }
}
