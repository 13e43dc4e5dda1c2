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
    static func cdfDistance(_ u: [Double], _ v: [Double], power: Int) -> Double {
        let sortedU = FloatRadixSort.sorted(u), sortedV = FloatRadixSort.sorted(v)
        let n = Double(sortedU.count), m = Double(sortedV.count)
        var i = 0, j = 0
        var total = 0.0
        // Each step consumes the smallest remaining value; between it and the next pooled value both CDFs are flat.
        while i < sortedU.count || j < sortedV.count {
            let value: Double
            if j >= sortedV.count || (i < sortedU.count && sortedU[i] <= sortedV[j]) {
                value = sortedU[i]
                i += 1
            } else {
                value = sortedV[j]
                j += 1
            }
            guard i < sortedU.count || j < sortedV.count else { break }
            let next = min(i < sortedU.count ? sortedU[i] : .infinity, j < sortedV.count ? sortedV[j] : .infinity)
            let delta = next - value
            guard delta > 0 else { continue }
            var a = i, b = j
            // searchsorted 'right': count values <= value.
            while a < sortedU.count, sortedU[a] <= value { a += 1 }
            while b < sortedV.count, sortedV[b] <= value { b += 1 }
            let difference = abs(Double(a) / n - Double(b) / m)
            total += power == 1 ? difference * delta : difference * difference * delta
        }
        return power == 1 ? total : total.squareRoot()
    }
}
