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

    /// (∫|F_u − F_v|^p)^(1/p) over the pooled sorted values.
    static func cdfDistance(_ u: [Double], _ v: [Double], power: Int) -> Double {
        let sortedU = u.sorted(), sortedV = v.sorted()
        let all = (u + v).sorted()
        var i = 0, j = 0
        var total = 0.0
        for index in 0..<(all.count - 1) {
            let value = all[index]
            while i < sortedU.count, sortedU[i] <= value { i += 1 }
            while j < sortedV.count, sortedV[j] <= value { j += 1 }
            let difference = abs(Double(i) / Double(sortedU.count) - Double(j) / Double(sortedV.count))
            let delta = all[index + 1] - value
            total += power == 1 ? difference * delta : difference * difference * delta
        }
        return power == 1 ? total : total.squareRoot()
    }
}
