/// Distances between the empirical CDFs, as scipy computes them: Wasserstein-1 (normed by the reference's
/// population standard deviation, floored at 0.001, as Evidently does) and the energy distance (not normed).
enum WassersteinDistance {
    static func normed(_ reference: [Double], _ current: [Double]) -> Double {
        let mean = reference.reduce(0, +) / Double(reference.count)
        let variance = reference.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(reference.count)
        return Self.cdfDistance(reference, current, power: 1) / max(variance.squareRoot(), 0.001)
    }

    static func energyDistance(_ reference: [Double], _ current: [Double]) -> Double {
        2.0.squareRoot() * Self.cdfDistance(reference, current, power: 2)
    }

    /// (∫|F_u − F_v|^p)^(1/p), walking both sorted samples together (scipy's `_cdf_distance`).
    ///
    /// Each step consumes the smallest remaining value; up to the next pooled value both CDFs are flat, at the
    /// share of each sample consumed so far (every value equal to this one is consumed before the gap to the next
    /// is positive). The walk has no unpredictable branch: a +inf sentinel ends each sample (the values are
    /// finite), and only the share of the sample that moved is recomputed.
    static func cdfDistance(_ u: [Double], _ v: [Double], power: Int) -> Double {
        let sortedU = FloatRadixSort.sorted(u, appending: .infinity), sortedV = FloatRadixSort.sorted(v, appending: .infinity)
        let countU = u.count, countV = v.count
        let n = Double(countU), m = Double(countV)
        var total = 0.0
        sortedU.withUnsafeBufferPointer { sortedU in
            sortedV.withUnsafeBufferPointer { sortedV in
                var i = 0, j = 0
                var shareU = 0.0, shareV = 0.0
                for _ in 0..<max(0, countU + countV - 1) {
                    let nextU = sortedU[i], nextV = sortedV[j]
                    let takeU = nextU <= nextV
                    let value = takeU ? nextU : nextV
                    i &+= takeU ? 1 : 0
                    j &+= takeU ? 0 : 1
                    // The same division as i / n or j / m, on whichever sample moved.
                    let share = Double(takeU ? i : j) / (takeU ? n : m)
                    if takeU { shareU = share } else { shareV = share }
                    let delta = min(sortedU[i], sortedV[j]) - value
                    let difference = abs(shareU - shareV)
                    // Adding +0 leaves the non-negative total unchanged, so zero gaps need no branch.
                    let term = power == 1 ? difference * delta : difference * difference * delta
                    total += delta > 0 ? term : 0
                }
            }
        }
        return power == 1 ? total : total.squareRoot()
    }
}
