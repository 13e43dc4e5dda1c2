import Foundation

/// Evidently's `get_binned_data`: reference and current proportions per Sturges bin of the pooled values for a
/// numeric column with more than 20 distinct reference values, else per category; zeros optionally replaced by
/// a small value (PSI and KL need it, Jensen-Shannon does not).
package enum HistogramBinning {
    struct Proportions {
        var reference: [Double]
        var current: [Double]
    }

    static func proportions(_ reference: DriftSample, _ current: DriftSample, type: DriftColumnType, fillZeroes: Bool) -> Proportions {
        var result: Proportions
        if type == .numerical, let r = reference.numbers, let c = current.numbers, reference.distinctCount(upTo: 21) > 20 {
            let edges = Self.sturgesEdges(r + c, integer: reference.isInteger && current.isInteger)
            result = Proportions(
                reference: Self.histogram(r, edges: edges).map { $0 / Double(r.count) },
                current: Self.histogram(c, edges: edges).map { $0 / Double(c.count) })
        } else {
            let counts = CategoryCounts(reference, current)
            let n = Double(reference.count), m = Double(current.count)
            result = Proportions(reference: counts.reference.map { $0 / n }, current: counts.current.map { $0 / m })
        }
        if fillZeroes {
            result.reference = Self.fillZeroes(result.reference)
            result.current = Self.fillZeroes(result.current)
        }
        return result
    }

    static func fillZeroes(_ values: [Double]) -> [Double] {
        guard let smallest = values.filter({ $0 != 0 }).min() else { return values }
        let replacement = smallest <= 0.0001 ? smallest / 1e6 : 0.0001
        return values.map { $0 == 0 ? replacement : $0 }
    }

    /// numpy's `histogram_bin_edges(values, "sturges")`.
    package static func sturgesEdges(_ values: [Double], integer: Bool) -> [Double] {
        guard var low = values.min(), var high = values.max() else { return [0, 1] }
        let range = high - low
        if low == high {
            low -= 0.5
            high += 0.5
        }
        var binCount = 1
        var width = range / (log2(Double(values.count)) + 1)
        if width > 0 {
            if integer && width < 1 { width = 1 }
            binCount = Int(((high - low) / width).rounded(.up))
        }
        return Self.linspace(low, high, binCount + 1)
    }

    package static func linspace(_ start: Double, _ stop: Double, _ count: Int) -> [Double] {
        let step = (stop - start) / Double(count - 1)
        var edges = (0..<count).map { Double($0) * step + start }
        edges[count - 1] = stop
        return edges
    }

    /// numpy's `histogram` counts for equal-width edges: [e_i, e_{i+1}), the last bin closed, with numpy's index
    /// computation and its corrections at the edges.
    package static func histogram(_ values: [Double], edges: [Double]) -> [Double] {
        let bins = edges.count - 1
        let first = edges[0], last = edges[bins]
        var counts = [Double](repeating: 0, count: bins)
        let norm = Double(bins) / (last - first)
        for value in values where value >= first && value <= last {
            var index = Int((value - first) * norm)
            if index == bins { index -= 1 }
            if value < edges[index] { index -= 1 }
            if index != bins - 1 && value >= edges[index + 1] { index += 1 }
            counts[index] += 1
        }
        return counts
    }
}
