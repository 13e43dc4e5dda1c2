import Foundation

/// The standard normal distribution's tails, through `erfc` so small tail probabilities keep their precision.
enum NormalDistribution {
    static func survival(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }

    static func cdf(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }

    /// The 97.5 % quantile used for DeLong's 95 % interval, written out as the note gives it.
    static let quantile975 = 1.959963984540054

    /// P(|Z| ≥ |z|) for a standard normal Z.
    static func twoSidedPValue(z: Double) -> Double {
        erfc(abs(z) / 2.0.squareRoot())
    }

    /// P(χ²₁ > statistic): a chi-square with one degree of freedom is the square of a standard normal.
    static func chiSquareOneDegreeSurvival(_ statistic: Double) -> Double {
        erfc((statistic / 2).squareRoot())
    }
}
