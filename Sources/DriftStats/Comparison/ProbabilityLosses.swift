import Foundation

/// Proper scoring rules of binary probability scores, as sklearn 1.9 computes them.
package enum ProbabilityLosses {
    /// float64 machine epsilon, the clipping bound sklearn 1.9 uses for `log_loss`.
    package static let logLossEpsilon = Double.ulpOfOne

    /// `log_loss(y, p, labels=[0, 1])`. The 1-D scores become the columns [1 − p, p] *before* clipping, and both
    /// columns are clipped to [ε, 1 − ε]; so a certain correct score still costs −ln(1 − ε), not 0, and a
    /// certain wrong one costs −ln ε ≈ 36.04. Passing the labels explicitly is what makes a one-class y valid.
    package static func logLoss(labels: [Int], probabilities: [Double]) -> Double {
        precondition(labels.count == probabilities.count && !labels.isEmpty, "log loss needs paired, non-empty input")
        let losses = zip(labels, probabilities).map { label, probability in
            let column = label == 1 ? probability : 1 - probability
            let clipped = min(max(column, logLossEpsilon), 1 - logLossEpsilon)
            return -log(clipped)
        }
        return NumPy.mean(losses)
    }

    /// `brier_score_loss`: the mean squared difference between the score and the 0/1 label.
    package static func brierScore(labels: [Int], probabilities: [Double]) -> Double {
        precondition(labels.count == probabilities.count && !labels.isEmpty, "Brier score needs paired, non-empty input")
        let squaredErrors = zip(labels, probabilities).map { label, probability in
            let error = probability - Double(label)
            return error * error
        }
        return NumPy.mean(squaredErrors)
    }
}
