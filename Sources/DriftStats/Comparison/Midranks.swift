/// Average 1-based ranks of tie groups ("midranks"), the ranking every rank-based quantity in the note uses:
/// ROC AUC, DeLong's placement values and the Wilcoxon signed-rank statistic.
enum Midranks {
    /// Ranks kept doubled, so a tie group's average rank is an integer and sums of ranks stay exact.
    struct Doubled {
        /// `2 * midrank` of each value, in input order.
        var doubledRanks: [Int]
        /// The size of every tie group (including groups of one), in ascending value order.
        var tieGroupSizes: [Int]
    }

    static func doubled(_ values: [Double]) -> Doubled {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var doubledRanks = [Int](repeating: 0, count: values.count)
        var tieGroupSizes: [Int] = []
        var groupStart = 0
        while groupStart < order.count {
            var groupEnd = groupStart + 1
            while groupEnd < order.count && values[order[groupEnd]] == values[order[groupStart]] {
                groupEnd += 1
            }
            // Ranks groupStart+1 ... groupEnd average to (groupStart + 1 + groupEnd) / 2.
            let doubledRank = groupStart + 1 + groupEnd
            for position in groupStart..<groupEnd {
                doubledRanks[order[position]] = doubledRank
            }
            tieGroupSizes.append(groupEnd - groupStart)
            groupStart = groupEnd
        }
        return Doubled(doubledRanks: doubledRanks, tieGroupSizes: tieGroupSizes)
    }

    static func ranks(_ values: [Double]) -> [Double] {
        doubled(values).doubledRanks.map { Double($0) / 2 }
    }
}
