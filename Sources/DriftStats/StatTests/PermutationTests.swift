import Foundation

/// Evidently's two permutation tests, with NumPy's legacy generator seeded with 0 and its draws reproduced
/// exactly: TVD (Evidently seeds it so) and empirical_mmd (Evidently leaves it unseeded, so its own value varies
/// between runs; 0 is the state its fixtures were recorded in).
enum PermutationTests {
    /// The share of 1000 re-splits whose total variation distance reaches the observed one. Categories are summed
    /// in sorted order (Evidently: Python's set order, which changes between processes); distances are rounded as
    /// NumPy rounds them, since exact ties decide the count.
    static func totalVariation(_ reference: DriftSample, _ current: DriftSample) -> Double {
        let counts = CategoryCounts(reference, current)
        let observed = Self.totalVariationDistance(counts.reference.map { Int($0) }, counts.current.map { Int($0) })
        var indexOf: [CategoryKey: Int] = [:]
        for (index, key) in counts.keys.enumerated() { indexOf[key] = index }
        // Category index of each pooled value in Evidently's order: reference rows, then current rows.
        let pooled = Self.rowKeys(reference).map { indexOf[$0]! } + Self.rowKeys(current).map { indexOf[$0]! }
        var pooledCounts = [Int](repeating: 0, count: counts.keys.count)
        for category in pooled { pooledCounts[category] += 1 }
        var random = LegacyRandomState(seed: 0)
        var atLeastObserved = 0
        var drawn = [Int](repeating: 0, count: counts.keys.count)
        var order = [Int](repeating: 0, count: pooled.count)
        for _ in 0..<1000 {
            random.permutation(into: &order)
            for index in drawn.indices { drawn[index] = 0 }
            for position in 0..<reference.count { drawn[pooled[order[position]]] += 1 }
            let remaining = zip(pooledCounts, drawn).map { $0 - $1 }
            if observed <= abs(Self.totalVariationDistance(drawn, remaining)) { atLeastObserved += 1 }
        }
        return Double(atLeastObserved) / 1000
    }

    static func totalVariationDistance(_ a: [Int], _ b: [Int]) -> Double {
        let aTotal = Double(a.reduce(0, +)), bTotal = Double(b.reduce(0, +))
        return 0.5 * NumPy.sum(zip(a, b).map { abs(Double($0) / aTotal - Double($1) / bTotal) })
    }

    private static func rowKeys(_ sample: DriftSample) -> [CategoryKey] {
        if let numbers = sample.numbers { return numbers.map(CategoryKey.number) }
        return (sample.codes ?? []).map { .text(sample.levels[Int($0)]) }
    }

    /// Kernel matrices beyond this many pooled values would take gigabytes; Evidently builds them anyway.
    static let empiricalMMDLimit = 14_000

    /// The unbiased squared MMD under an RBF kernel (median heuristic on the reference) and the share of 100
    /// permutations reaching it.
    static func empiricalMMD(_ reference: [Double], _ current: [Double]) throws(StatTestError) -> Double {
        let nx = reference.count, ny = current.count, total = nx + ny
        guard total <= Self.empiricalMMDLimit else {
            throw .failed(method: "empirical_mmd", reason: "more than \(Self.empiricalMMDLimit) values in all")
        }
        guard nx >= 2, ny >= 2 else { throw .failed(method: "empirical_mmd", reason: "needs at least two values on each side") }
        var squaredDistances: [Double] = []
        squaredDistances.reserveCapacity(nx * nx)
        for a in reference { for b in reference { squaredDistances.append(Self.squaredDistance(a, b)) } }
        let medianIndex = Int(NumPy.roundHalfEven(Double(squaredDistances.count - 1) * 0.5))
        squaredDistances.sort()
        var sigma = (0.5 * squaredDistances[medianIndex]).squareRoot()
        if sigma == 0 { sigma = 0.5.squareRoot() }
        let gamma = 1.0 / (2.0 * sigma * sigma)
        let pooled = reference + current
        var kernel = [Double](repeating: 0, count: total * total)
        kernel.withUnsafeMutableBufferPointer { k in
            for i in 0..<total {
                for j in 0..<total where i != j { k[i * total + j] = exp(-gamma * Self.squaredDistance(pooled[i], pooled[j])) }
            }
        }
        let observed = Self.mmd(kernel, total: total, inX: (0..<total).map { $0 < nx }, nx: nx)
        var random = LegacyRandomState(seed: 0)
        var atLeastObserved = 0
        var membership = [Bool](repeating: false, count: total)
        var order = [Int](repeating: 0, count: total)
        for _ in 0..<100 {
            random.permutation(into: &order)
            for position in 0..<total { membership[order[position]] = position < nx }
            if observed <= Self.mmd(kernel, total: total, inX: membership, nx: nx) { atLeastObserved += 1 }
        }
        return Double(atLeastObserved) / 100
    }

    /// Evidently's `(y² − 2xy) + x²`, not always bit-identical to (x − y)².
    private static func squaredDistance(_ x: Double, _ y: Double) -> Double {
        (y * y - 2 * (x * y)) + x * x
    }

    private static func mmd(_ kernel: [Double], total: Int, inX membership: [Bool], nx: Int) -> Double {
        let ny = total - nx
        var sumXX = 0.0, sumYY = 0.0, sumXY = 0.0
        kernel.withUnsafeBufferPointer { k in
            membership.withUnsafeBufferPointer { inX in
                for i in 0..<total {
                    var rowX = 0.0, rowY = 0.0
                    let row = i * total
                    for j in 0..<total {
                        if inX[j] { rowX += k[row + j] } else { rowY += k[row + j] }
                    }
                    if inX[i] {
                        sumXX += rowX
                        sumXY += rowY
                    } else {
                        sumYY += rowY
                    }
                }
            }
        }
        let a = 1 / (Double(nx) * Double(nx - 1)), b = 1 / (Double(ny) * Double(ny - 1))
        return a * sumXX + b * sumYY - 2.0 * (sumXY / (Double(nx) * Double(ny)))
    }
}
