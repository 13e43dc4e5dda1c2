import Foundation

/// The standard normal distribution's tails, through `erfc` so small tail probabilities keep their precision.
enum NormalDistribution {
    static func survival(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }

    static func cdf(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }
}
