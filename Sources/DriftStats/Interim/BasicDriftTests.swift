import Foundation

/// A column of one dataset as the drift tests see it.
public enum DriftColumnValues: Sendable {
    /// Numbers; NaN marks a missing value.
    case numerical([Double])
    /// Category labels; `nil` marks a missing value.
    case categorical([String?])
}

/// The verdict for one column.
public struct ColumnDriftResult: Sendable, Codable, Equatable {
    public var column: String
    public var columnType: String
    public var stattest: String
    public var score: Double
    public var threshold: Double
    public var drifted: Bool

    enum CodingKeys: String, CodingKey {
        case column, stattest, score, threshold, drifted
        case columnType = "column_type"
    }
}

/// Two-sample Kolmogorov-Smirnov and Pearson chi-square, the tests the controller's drift check needs first.
public enum BasicDriftTests {
    /// KS statistic and its asymptotic p-value (Kolmogorov distribution with the effective sample size).
    public static func kolmogorovSmirnov(_ reference: [Double], _ current: [Double]) -> (statistic: Double, pValue: Double) {
        let a = reference.filter(\.isFinite).sorted()
        let b = current.filter(\.isFinite).sorted()
        guard !a.isEmpty, !b.isEmpty else { return (0, 1) }
        var i = 0, j = 0
        var d = 0.0
        while i < a.count && j < b.count {
            let value = min(a[i], b[j])
            while i < a.count && a[i] == value { i += 1 }
            while j < b.count && b[j] == value { j += 1 }
            d = max(d, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
        }
        let effective = Double(a.count * b.count) / Double(a.count + b.count)
        return (d, Self.kolmogorovSurvival(d * effective.squareRoot()))
    }

    /// P(K > x) for the Kolmogorov distribution.
    static func kolmogorovSurvival(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        if x < 0.27 { return 1 }
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * x * x) * (k % 2 == 1 ? 1 : -1)
            sum += term
            if abs(term) < 1e-16 { break }
        }
        return min(1, max(0, 2 * sum))
    }

    /// Chi-square test of the current category counts against the reference proportions.
    public static func chiSquare(_ reference: [String], _ current: [String]) -> Double {
        var referenceCounts: [String: Double] = [:]
        var currentCounts: [String: Double] = [:]
        for value in reference { referenceCounts[value, default: 0] += 1 }
        for value in current { currentCounts[value, default: 0] += 1 }
        let categories = Set(referenceCounts.keys).union(currentCounts.keys)
        guard categories.count > 1, !reference.isEmpty, !current.isEmpty else { return 1 }
        let n = Double(current.count)
        var statistic = 0.0
        for category in categories {
            let expected = (referenceCounts[category] ?? 0) / Double(reference.count) * n
            let observed = currentCounts[category] ?? 0
            if expected == 0 { return observed > 0 ? 0 : 1 }
            statistic += (observed - expected) * (observed - expected) / expected
        }
        return Self.chiSquareSurvival(statistic, degreesOfFreedom: Double(categories.count - 1))
    }

    /// Upper tail of the chi-square distribution: Q(k/2, x/2), the regularised upper incomplete gamma.
    static func chiSquareSurvival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        let a = k / 2, z = x / 2
        guard z > 0 else { return 1 }
        if z < a + 1 {
            var sum = 1.0 / a, term = 1.0 / a, n = a
            for _ in 0..<1000 {
                n += 1
                term *= z / n
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return max(0, 1 - sum * exp(-z + a * log(z) - lgamma(a)))
        }
        var b = z + 1 - a, c = 1.0 / 1e-300, d = 1.0 / b, h = d
        for i in 1..<1000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < 1e-300 { d = 1e-300 }
            c = b + an / c
            if abs(c) < 1e-300 { c = 1e-300 }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return min(1, exp(-z + a * log(z) - lgamma(a)) * h)
    }

    /// Tests one column: KS for numerical columns with more than 5 distinct values, chi-square otherwise.
    public static func test(column: String, reference: DriftColumnValues, current: DriftColumnValues, threshold: Double = 0.05) -> ColumnDriftResult {
        switch (reference, current) {
        case (.numerical(let r), .numerical(let c)):
            let distinct = Set(r.filter(\.isFinite) + c.filter(\.isFinite)).count
            if distinct > 5 {
                let p = Self.kolmogorovSmirnov(r, c).pValue
                return ColumnDriftResult(column: column, columnType: "num", stattest: "ks", score: p, threshold: threshold, drifted: p <= threshold)
            }
            let p = Self.chiSquare(r.filter(\.isFinite).map { "\($0)" }, c.filter(\.isFinite).map { "\($0)" })
            return ColumnDriftResult(column: column, columnType: "num", stattest: "chisquare", score: p, threshold: threshold, drifted: p < threshold)
        default:
            let p = Self.chiSquare(Self.labels(reference), Self.labels(current))
            return ColumnDriftResult(column: column, columnType: "cat", stattest: "chisquare", score: p, threshold: threshold, drifted: p < threshold)
        }
    }

    private static func labels(_ values: DriftColumnValues) -> [String] {
        switch values {
        case .numerical(let numbers): numbers.filter(\.isFinite).map { "\($0)" }
        case .categorical(let labels): labels.compactMap { $0 }
        }
    }
}
