/// Why a ROC AUC has no value.
package enum ROCAUCError: Error, Equatable, Sendable, CustomStringConvertible {
    case onlyOneClassPresent

    /// sklearn 1.9's warning text, kept verbatim so a report reads the same as the reference.
    package var description: String {
        switch self {
        case .onlyOneClassPresent:
            "Only one class is present in y_true. ROC AUC score is not defined in that case."
        }
    }
}

/// ROC AUC as the Mann–Whitney statistic with midranks (ties count ½), computed from integer rank sums so the
/// value is exact up to the final two divisions and identical whether it comes from the full sample or a resample.
package enum ROCAUC {
    /// The AUC, or NaN together with the reason, which is what sklearn 1.9 returns (older versions raised).
    package struct Outcome: Sendable, Equatable {
        package var value: Double
        package var error: ROCAUCError?
    }

    package static func score(labels: [Int], scores: [Double]) throws(ROCAUCError) -> Double {
        precondition(labels.count == scores.count, "labels and scores must be paired")
        let doubledRanks = Midranks.doubled(scores).doubledRanks
        var doubledPositiveRankSum = 0
        var positives = 0
        for (row, label) in labels.enumerated() where label == 1 {
            doubledPositiveRankSum += doubledRanks[row]
            positives += 1
        }
        guard let value = fromDoubledRankSum(doubledPositiveRankSum, positives: positives, negatives: labels.count - positives)
        else { throw .onlyOneClassPresent }
        return value
    }

    package static func outcome(labels: [Int], scores: [Double]) -> Outcome {
        do {
            return Outcome(value: try score(labels: labels, scores: scores), error: nil)
        } catch {
            return Outcome(value: .nan, error: error)
        }
    }

    /// `(Double(2·R1 − n1(n1+1)) / 2) / Double(n1·n0)`, in exactly this order (note, section 5), or nil with one class.
    static func fromDoubledRankSum(_ doubledPositiveRankSum: Int, positives: Int, negatives: Int) -> Double? {
        guard positives > 0, negatives > 0 else { return nil }
        return (Double(doubledPositiveRankSum - positives * (positives + 1)) / 2) / Double(positives * negatives)
    }
}
