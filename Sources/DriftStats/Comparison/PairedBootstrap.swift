/// The paired bootstrap of the significance note (section 5): every replicate resamples rows with replacement,
/// applies the same row indices to both models, and records `metric(challenger) − metric(champion)`.
///
/// Replicates are reproducible bit for bit on every machine: one `SplitMix64` per data set, seeded once, and
/// replicate b consumes outputs b·n ..< (b + 1)·n in order, each turned into an index by
/// `SplitMix64.nextResampleIndex(below:)`.
package struct PairedBootstrap: Sendable, Equatable {
    /// The seed of every reference fixture.
    package static let referenceSeed: UInt64 = 20_240_607
    /// B of every reference fixture.
    package static let referenceReplicateCount = 2000

    package var seed: UInt64
    package var replicateCount: Int

    package init(seed: UInt64 = referenceSeed, replicateCount: Int = referenceReplicateCount) {
        precondition(replicateCount > 0, "a bootstrap needs at least one replicate")
        self.seed = seed
        self.replicateCount = replicateCount
    }

    /// Calls `body` with the row indices of each replicate, in replicate order.
    package func forEachResample(rowCount: Int, _ body: (_ indices: [Int]) -> Void) {
        var generator = SplitMix64(seed: seed)
        var indices = [Int](repeating: 0, count: rowCount)
        for _ in 0..<replicateCount {
            for position in 0..<rowCount {
                indices[position] = generator.nextResampleIndex(below: rowCount)
            }
            body(indices)
        }
    }

    /// The first `count` indices of replicate 0, which the fixtures record to debug the index drawing.
    package func leadingIndicesOfFirstReplicate(rowCount: Int, count: Int = 10) -> [Int] {
        var generator = SplitMix64(seed: seed)
        return (0..<min(count, rowCount)).map { _ in generator.nextResampleIndex(below: rowCount) }
    }

    /// Runs several paired statistics over the same resamples. `statistics` returns one difference per metric
    /// for a list of row indices, or nil for a metric that is undefined on that resample (such a replicate is
    /// skipped for that metric, not redrawn). The point estimate is the same function on the rows in order.
    package func distributions(
        rowCount: Int,
        metricCount: Int,
        statistics: (_ indices: [Int]) -> [Double?]
    ) -> [BootstrapDistribution] {
        let point = statistics(Array(0..<rowCount))
        precondition(point.count == metricCount, "the statistic must return one value per metric")
        var replicates = [[Double?]](repeating: [], count: metricCount)
        for metric in 0..<metricCount { replicates[metric].reserveCapacity(replicateCount) }
        forEachResample(rowCount: rowCount) { indices in
            for (metric, value) in statistics(indices).enumerated() {
                replicates[metric].append(value)
            }
        }
        return (0..<metricCount).map { BootstrapDistribution(point: point[$0], replicates: replicates[$0]) }
    }
}

/// The bootstrap distribution of one paired difference, with the expected JSON's field names.
package struct BootstrapDistribution: Codable, Sendable, Equatable {
    /// The full-sample difference, computed by the same rules as the replicates.
    package var point: Double?
    /// numpy `percentile(method='linear')` at 2.5 and 97.5; nil when no replicate is valid.
    package var ci95Percentile: [Double]?
    package var validReplicateCount: Int
    package var skippedReplicateCount: Int
    package var replicateMean: Double?
    package var note: String?
    /// The valid replicates in replicate order; kept for inspection, not encoded (B numbers per metric).
    package var replicates: [Double] = []

    enum CodingKeys: String, CodingKey {
        case point
        case ci95Percentile = "ci95_percentile"
        case validReplicateCount = "n_valid_replicates"
        case skippedReplicateCount = "n_skipped_replicates"
        case replicateMean = "replicate_mean"
        case note
    }

    package init(point: Double?, replicates allReplicates: [Double?]) {
        let valid = allReplicates.compactMap { $0 }
        self.point = point
        replicates = valid
        validReplicateCount = valid.count
        skippedReplicateCount = allReplicates.count - valid.count
        guard !valid.isEmpty else {
            note = "no valid replicate (metric undefined on every resample)"
            return
        }
        let sorted = valid.sorted()
        ci95Percentile = [
            NumPy.percentileLinear(sorted: sorted, 2.5),
            NumPy.percentileLinear(sorted: sorted, 97.5),
        ]
        replicateMean = NumPy.mean(valid)
    }
}
