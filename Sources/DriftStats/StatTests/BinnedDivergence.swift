import Foundation

/// Divergences between binned proportions, as Evidently computes them through scipy (natural logarithms).
enum BinnedDivergence {
    /// scipy's `jensenshannon` distance: both vectors normalised, then sqrt of the mean KL to their midpoint.
    /// With the natural log its range is [0, sqrt(ln 2)], not [0, 1] (Evidently issue #494); we keep it.
    static func jensenShannon(_ p: HistogramBinning.Proportions) -> Double {
        let sumP = p.reference.reduce(0, +), sumQ = p.current.reduce(0, +)
        var left = 0.0, right = 0.0
        for index in p.reference.indices {
            let a = p.reference[index] / sumP, b = p.current[index] / sumQ
            let mid = (a + b) / 2
            left += Self.relativeEntropy(a, mid)
            right += Self.relativeEntropy(b, mid)
        }
        return ((left + right) / 2).squareRoot()
    }

    static func populationStability(_ p: HistogramBinning.Proportions) -> Double {
        var total = 0.0
        for index in p.reference.indices {
            total += (p.reference[index] - p.current[index]) * log(p.reference[index] / p.current[index])
        }
        return total
    }

    /// scipy's `entropy(reference, current)`: both renormalised to sum 1.
    static func kullbackLeibler(_ p: HistogramBinning.Proportions) -> Double {
        let sumP = p.reference.reduce(0, +), sumQ = p.current.reduce(0, +)
        var total = 0.0
        for index in p.reference.indices {
            total += Self.relativeEntropy(p.reference[index] / sumP, p.current[index] / sumQ)
        }
        return total
    }

    /// scipy's `rel_entr`.
    static func relativeEntropy(_ x: Double, _ y: Double) -> Double {
        if x > 0 && y > 0 { return x * log(x / y) }
        if x == 0 && y >= 0 { return 0 }
        return .infinity
    }
}
