import Foundation

/// Evidently's Hellinger distance: over category proportions for categorical columns; for numeric columns over
/// density histograms whose Sturges edges are built from the distinct pooled values (not the data), as Evidently does.
enum HellingerDistance {
    static func distance(_ reference: DriftSample, _ current: DriftSample, type: DriftColumnType) -> Double {
        var coefficient = 0.0
        if type == .numerical, let r = reference.numbers, let c = current.numbers {
            let distinct = Array(Set(r + c)).sorted()
            let edges = HistogramBinning.sturgesEdges(distinct, integer: reference.isInteger && current.isInteger)
            let referenceDensity = Self.density(r, edges: edges)
            let currentDensity = Self.density(c, edges: edges)
            let width = (edges[edges.count - 1] - edges[0]) / Double(edges.count - 1)
            for index in referenceDensity.indices {
                coefficient += (referenceDensity[index] * currentDensity[index]).squareRoot() * width
            }
        } else {
            let counts = CategoryCounts(reference, current)
            let n = Double(reference.count), m = Double(current.count)
            for index in counts.keys.indices {
                coefficient += (counts.reference[index] / n * counts.current[index] / m).squareRoot()
            }
        }
        return (1 - min(max(coefficient, 0), 1)).squareRoot()
    }

    /// numpy's `histogram(density=True)`: counts / (total × bin width).
    private static func density(_ values: [Double], edges: [Double]) -> [Double] {
        let counts = HistogramBinning.histogram(values, edges: edges)
        let total = counts.reduce(0, +)
        return counts.indices.map { counts[$0] / (total * (edges[$0 + 1] - edges[$0])) }
    }
}
