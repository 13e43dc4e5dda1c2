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

    /// Index of the first element `>= value` in ascending `sorted` (`searchsorted(side='left')`).
    static func searchSortedLeft(_ sorted: [Double], _ value: Double) -> Int {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Index of the first element `> value` in ascending `sorted` (`searchsorted(side='right')`).
    static func searchSortedRight(_ sorted: [Double], _ value: Double) -> Int {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// `np.histogram_bin_edges(a, bins="sturges")`. `isInteger` is whether the array has an integer dtype, where
    /// NumPy widens bins narrower than 1 to 1.
    static func sturgesBinEdges(_ values: [Double], isInteger: Bool) -> [Double] {
        precondition(!values.isEmpty)
        var lo = values[0]
        var hi = values[0]
        for value in values {
            lo = Swift.min(lo, value)
            hi = Swift.max(hi, value)
        }
        var width = (hi - lo) / (log2(Double(values.count)) + 1.0)
        var first = lo
        var last = hi
        if first == last {
            first -= 0.5
            last += 0.5
        }
        let binCount: Int
        if width != 0 {
            if isInteger && width < 1 { width = 1 }
            binCount = Int(((last - first) / width).rounded(.up))
        } else {
            binCount = 1
        }
        return linspace(first, last, count: binCount + 1)
    }

    /// `np.linspace(start, stop, count)` with its rounding: `i * step + start`, the last point set to `stop`.
    static func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (stop - start) / Double(count - 1)
        var points = (0..<count).map { Double($0) * step + start }
        points[count - 1] = stop
        return points
    }

    /// Counts of `np.histogram(a, bins=edges)` for explicit edges: bin i holds `edges[i] <= x < edges[i+1]`, the
    /// last bin also holds its right edge, values outside are dropped.
    static func histogramCounts(_ values: [Double], edges: [Double]) -> [Int] {
        let sorted = FloatRadixSort.sorted(values)
        var cumulative = edges.dropLast().map { searchSortedLeft(sorted, $0) }
        cumulative.append(searchSortedRight(sorted, edges[edges.count - 1]))
        return (0..<(edges.count - 1)).map { cumulative[$0 + 1] - cumulative[$0] }
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
