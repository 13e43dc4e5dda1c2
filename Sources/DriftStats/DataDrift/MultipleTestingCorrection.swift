/// How the p-values of many columns are adjusted before dataset drift is decided (`drift.correction`). Testing 40
/// columns at 0.05 flags two of them by chance alone; a correction holds the family-wise error (Bonferroni) or the
/// false discovery rate (Benjamini-Hochberg) at the threshold instead. Distance-based tests are not p-values and
/// are left as they are. The default, `none`, is Evidently's rule.
package enum MultipleTestingCorrection: String, Sendable, Codable, CaseIterable {
    case none
    case bonferroni
    case benjaminiHochberg = "benjamini_hochberg"

    /// The adjusted p-values, in the order given, as statsmodels' `multipletests` gives them (`bonferroni`,
    /// `fdr_bh`), each at most 1.
    package func adjusted(_ pValues: [Double]) -> [Double] {
        let count = Double(pValues.count)
        switch self {
        case .none:
            return pValues
        case .bonferroni:
            return pValues.map { min(1, $0 * count) }
        case .benjaminiHochberg:
            // Step-up: the i-th smallest p-value times m / i, then the running minimum from the largest down, so
            // that the adjusted values keep the p-values' order.
            let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
            var adjusted = [Double](repeating: 1, count: pValues.count)
            var smallestSoFar = 1.0
            for rank in stride(from: order.count, through: 1, by: -1) {
                let index = order[rank - 1]
                smallestSoFar = min(smallestSoFar, pValues[index] * count / Double(rank))
                adjusted[index] = smallestSoFar
            }
            return adjusted
        }
    }
}
