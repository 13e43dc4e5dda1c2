import Foundation

/// scipy's `anderson_ksamp` for two samples (midrank version), as Evidently calls it: the statistic is
/// standardised, then its significance interpolated from Scholz & Stephens' table and clipped to [0.001, 0.25].
enum AndersonDarlingTest {
    static func pValue(_ first: [Double], _ second: [Double]) -> Double {
        let samples = [FloatRadixSort.sorted(first), FloatRadixSort.sorted(second)]
        let pooled = FloatRadixSort.sorted(first + second)
        let total = Double(pooled.count)
        let k = 2.0
        var distinct: [Double] = []
        for value in pooled where distinct.last != value { distinct.append(value) }
        var statistic = 0.0
        // For each distinct value: how many pooled values lie below it and how many equal it.
        var below: [Double] = [], ties: [Double] = []
        var index = 0
        for value in distinct {
            let start = index
            while index < pooled.count, pooled[index] == value { index += 1 }
            below.append(Double(start))
            ties.append(pooled.count == distinct.count ? 1 : Double(index - start))
        }
        for sample in samples {
            let n = Double(sample.count)
            var position = 0
            var sum = 0.0
            for (j, value) in distinct.enumerated() {
                let start = position
                while position < sample.count, sample[position] <= value { position += 1 }
                var equal = 0
                var back = position - 1
                while back >= start, back >= 0, sample[back] == value {
                    equal += 1
                    back -= 1
                }
                let m = Double(position) - Double(equal) / 2
                let b = below[j] + ties[j] / 2
                let numerator = total * m - b * n
                sum += ties[j] / total * numerator * numerator / (b * (total - b) - total * ties[j] / 4)
            }
            statistic += sum / n
        }
        statistic *= (total - 1) / total

        let h = samples.reduce(0.0) { $0 + 1 / Double($1.count) }
        var harmonicTail: [Double] = []
        var running = 0.0
        for value in stride(from: total - 1, to: 1, by: -1) {
            running += 1 / value
            harmonicTail.append(running)
        }
        let hh = (harmonicTail.last ?? 0) + 1
        var g = 0.0
        for (offset, value) in harmonicTail.enumerated() { g += value / Double(offset + 2) }
        let a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * h
        let b = (2 * g - 4) * k * k + 8 * hh * k + (2 * g - 14 * hh - 4) * h - 8 * hh + 4 * g - 6
        let c = (6 * hh + 2 * g - 2) * k * k + (4 * hh - 4 * g + 6) * k + (2 * hh - 6) * h + 4 * hh
        let d = (2 * hh + 6) * k * k - 4 * hh * k
        let variance = (a * pow(total, 3) + b * total * total + c * total + d) / ((total - 1) * (total - 2) * (total - 3))
        let m = k - 1
        let standardised = (statistic - m) / variance.squareRoot()
        guard standardised.isFinite else { return .nan }

        let b0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085]
        let b1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615]
        let b2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154]
        let critical = (0..<7).map { b0[$0] + b1[$0] / m.squareRoot() + b2[$0] / m }
        let significance = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001]
        if standardised < critical.min()! { return 0.25 }
        if standardised > critical.max()! { return 0.001 }
        let coefficients = Self.quadraticFit(x: critical, y: significance.map { log($0) })
        return exp(coefficients.0 * standardised * standardised + coefficients.1 * standardised + coefficients.2)
    }

    /// Least-squares quadratic (numpy's `polyfit(x, y, 2)`), highest power first.
    static func quadraticFit(x: [Double], y: [Double]) -> (Double, Double, Double) {
        var s = [Double](repeating: 0, count: 5)
        var t = [Double](repeating: 0, count: 3)
        for (xi, yi) in zip(x, y) {
            var power = 1.0
            for degree in 0..<5 {
                s[degree] += power
                if degree < 3 { t[degree] += power * yi }
                power *= xi
            }
        }
        // Normal equations for (c0 + c1 x + c2 x²), solved by Cramer's rule.
        let matrix = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]]
        func determinant(_ m: [[Double]]) -> Double {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        }
        let base = determinant(matrix)
        var solution = [0.0, 0.0, 0.0]
        for column in 0..<3 {
            var replaced = matrix
            for row in 0..<3 { replaced[row][column] = t[row] }
            solution[column] = determinant(replaced) / base
        }
        return (solution[2], solution[1], solution[0])
    }
}
