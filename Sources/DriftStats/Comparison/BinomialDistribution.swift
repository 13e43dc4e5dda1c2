import Foundation

/// The fair-coin binomial lower tail behind McNemar's exact test.
///
/// Each probability comes from Loader's saddle-point form of the binomial pmf (the algorithm in R's `dbinom`
/// and Boost, which scipy uses), which keeps full relative precision for large counts where
/// `exp(lgamma(...) - ...)` would lose digits to cancellation.
enum BinomialDistribution {
    static let exactTrialLimit = 62

    /// P(K ≤ k) for K ~ Binomial(trials, ½).
    static func fairCoinLowerTail(upTo k: Int, trials: Int) -> Double {
        precondition(trials >= 0, "a binomial needs a non-negative number of trials")
        if k < 0 { return 0 }
        if k >= trials { return 1 }
        // Up to 62 trials the sum of binomial coefficients is an exact UInt64, so the tail is rounded only once.
        if trials <= exactTrialLimit {
            var coefficient: UInt64 = 1
            var total: UInt64 = 1
            for successes in stride(from: 1, through: k, by: 1) {
                coefficient = coefficient * UInt64(trials - successes + 1) / UInt64(successes)
                total += coefficient
            }
            return Double(total) * exp2(-Double(trials))
        }
        // Summing downward from the largest term of the tail (k ≤ trials/2 in McNemar's use) with the exact
        // ratio C(n, j−1)/C(n, j) = j / (n − j + 1); terms shrink geometrically, so the loop stops early.
        var term = fairCoinProbability(of: k, trials: trials)
        var total = term
        var successes = k
        while successes > 0 {
            term *= Double(successes) / Double(trials - successes + 1)
            total += term
            if term < total * 1e-18 { break }
            successes -= 1
        }
        return min(total, 1)
    }

    /// P(K = k) for K ~ Binomial(trials, ½).
    static func fairCoinProbability(of k: Int, trials: Int) -> Double {
        if k < 0 || k > trials { return 0 }
        if k == 0 || k == trials { return exp2(-Double(trials)) }
        let n = Double(trials)
        let x = Double(k)
        let mean = n / 2
        let logCore =
            stirlingError(n) - stirlingError(x) - stirlingError(n - x)
            - deviance(x, mean) - deviance(n - x, mean)
        let logNormalizer = log(2 * Double.pi) + log(x) + log1p(-x / n)
        return exp(logCore - 0.5 * logNormalizer)
    }

    /// ln(n!) − [(n + ½) ln n − n + ½ ln 2π] for a whole number n ≥ 1.
    private static func stirlingError(_ n: Double) -> Double {
        if n <= 15 {
            return lgamma(n + 1) - (n + 0.5) * log(n) + n - 0.5 * log(2 * Double.pi)
        }
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
        let nn = n * n
        if n > 500 { return (s0 - s1 / nn) / n }
        if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
        if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
    }

    /// Loader's bd0: x·ln(x/np) + np − x, evaluated by a series when x is near np so it does not cancel.
    private static func deviance(_ x: Double, _ expected: Double) -> Double {
        if abs(x - expected) < 0.1 * (x + expected) {
            var v = (x - expected) / (x + expected)
            var sum = (x - expected) * v
            var term = 2 * x * v
            v *= v
            var j = 1.0
            while j < 1000 {
                term *= v
                let next = sum + term / (2 * j + 1)
                if next == sum { return next }
                sum = next
                j += 1
            }
            return sum
        }
        return x * log(x / expected) + expected - x
    }
}
