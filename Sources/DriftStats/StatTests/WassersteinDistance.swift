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
    /// is positive). Which sample a step takes from is a coin toss on real data, so the walk has no branch on it:
    /// a +inf sentinel ends each sample (the values are finite). The CDF difference i/n − j/m is kept as the exact
    /// integer i·m − j·n and divided by n·m once at the end, which needs no table of shares and no division per
    /// step (scipy divides each share; the results agree to about 1e-15 relative).
    static func cdfDistance(_ u: [Double], _ v: [Double], power: Int) -> Double {
        let sortedU = FloatRadixSort.sorted(u, appending: .infinity), sortedV = FloatRadixSort.sorted(v, appending: .infinity)
        let countU = u.count, countV = v.count
        // |i·m − j·n| ≤ n·m, which fits in 64 bits for any two samples that fit in memory.
        precondition(!countU.multipliedReportingOverflow(by: countV).overflow, "samples too large for the CDF walk")
        let stepU = countV, stepV = countU
        var total = 0.0
        sortedU.withUnsafeBufferPointer { sortedU in
            sortedV.withUnsafeBufferPointer { sortedV in
                var i = 0, j = 0
                // i·m − j·n, kept as the walk advances.
                var difference = 0
                for _ in 0..<max(0, countU + countV - 1) {
                    let nextU = sortedU[i], nextV = sortedV[j]
                    // min picks nextU on ties, as takeU does.
                    let value = min(nextU, nextV)
                    let step = nextU <= nextV ? 1 : 0
                    i &+= step
                    j &+= 1 &- step
                    difference &+= step == 1 ? stepU : -stepV
                    let delta = min(sortedU[i], sortedV[j]) - value
                    let gap = Double(abs(difference))
                    // Adding +0 leaves the non-negative total unchanged, so zero gaps need no branch.
                    let term = power == 1 ? gap * delta : gap * gap * delta
                    total += delta > 0 ? term : 0
                }
            }
        }
        let scale = Double(countU) * Double(countV)
        return power == 1 ? total / scale : total.squareRoot() / scale
    }
}
