import Foundation

/// Evidently's fisher_exact: a binary column's 2×2 table of category counts in current and reference, with
/// scipy's two-sided exact p-value. Evidently refuses unequal sizes and more than two categories; so do we.
enum FisherExactTest {
    static func pValue(_ reference: DriftSample, _ current: DriftSample) throws(StatTestError) -> Double {
        guard reference.count == current.count else {
            throw StatTestError.unequalSizes(method: "fisher_exact", reference: reference.count, current: current.count)
        }
        let counts = CategoryCounts(reference, current)
        guard counts.keys.count <= 2 else { throw StatTestError.notBinary(method: "fisher_exact", categories: counts.keys.count) }
        guard counts.keys.count == 2 else { return 1 }
        // Table [[a, b], [c, d]]: rows current and reference, columns the two categories.
        let a = Int(counts.current[0]), b = Int(counts.current[1]), c = Int(counts.reference[0]), d = Int(counts.reference[1])
        let rowTotal = a + b, columnTotal = a + c, total = a + b + c + d
        func logProbability(_ x: Int) -> Double {
            Self.logChoose(columnTotal, x) + Self.logChoose(total - columnTotal, rowTotal - x) - Self.logChoose(total, rowTotal)
        }
        let observed = logProbability(a)
        var p = 0.0
        // scipy counts tables no more likely than the observed one, with a relative tolerance of 1e-7.
        for x in max(0, rowTotal + columnTotal - total)...min(rowTotal, columnTotal) {
            let probability = logProbability(x)
            if probability <= observed + log1p(1e-7) { p += exp(probability) }
        }
        return min(p, 1)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
