/// A metric a comparison can be judged on, and which way is better.
package enum ComparedMetric: String, Codable, Sendable, CaseIterable {
    case accuracy
    case f1
    case rocAUC = "roc_auc"
    case f1Macro = "f1_macro"
    case mse
    case mae

    package var higherIsBetter: Bool {
        switch self {
        case .accuracy, .f1, .rocAUC, .f1Macro: true
        case .mse, .mae: false
        }
    }

    /// The metric a task is judged on when none is named.
    package static func standard(for task: ComparisonTask) -> ComparedMetric {
        switch task {
        case .binary: .rocAUC
        case .multiclass: .f1Macro
        case .regression: .mse
        }
    }

    package func applies(to task: ComparisonTask) -> Bool {
        switch self {
        case .accuracy: task != .regression
        case .f1, .rocAUC: task == .binary
        case .f1Macro: task == .multiclass
        case .mse, .mae: task == .regression
        }
    }
}

/// The significance test behind a verdict.
package enum SignificanceTestKind: String, Codable, Sendable, CaseIterable {
    case mcnemar
    case delong
    case bootstrap
    case pairedT = "paired_t"
    case wilcoxon

    /// The test a metric is judged with when none is named: DeLong for ROC AUC, the paired t-test for regression
    /// errors, the bootstrap otherwise (McNemar answers "do the error rates differ", not "by how much").
    package static func standard(for metric: ComparedMetric) -> SignificanceTestKind {
        switch metric {
        case .rocAUC: .delong
        case .mse, .mae: .pairedT
        case .accuracy, .f1, .f1Macro: .bootstrap
        }
    }

    /// Whether the test measures a difference in `metric`: McNemar compares correctness, so accuracy; DeLong,
    /// ROC AUC; the t and Wilcoxon tests, squared errors (MSE); the bootstrap, any metric.
    package func measures(_ metric: ComparedMetric) -> Bool {
        switch self {
        case .bootstrap: true
        case .mcnemar: metric == .accuracy
        case .delong: metric == .rocAUC
        case .pairedT, .wilcoxon: metric == .mse
        }
    }
}

/// How a challenger compares with the champion on one metric.
package enum ComparisonOutcome: String, Codable, Sendable {
    /// The improvement clears the margin, and the test says it is real.
    case better
    /// The data show the improvement does not clear the margin (an interval wholly at or below it, or a
    /// significant change in the wrong direction).
    case notBetter = "not_better"
    /// Neither: the interval straddles the margin, the difference is not significant, the test is undefined,
    /// or there are fewer rows than the rule asks for.
    case inconclusive
}

/// What a rule asks of a comparison: the metric, the test, the significance level, the margin the improvement must
/// clear (in the metric's units, as an improvement: positive means better whichever way the metric points), and
/// the fewest rows it decides on.
package struct SignificanceRule: Sendable, Equatable {
    package var metric: ComparedMetric
    package var test: SignificanceTestKind
    package var alpha: Double
    package var margin: Double
    package var minSamples: Int

    package init(metric: ComparedMetric, test: SignificanceTestKind, alpha: Double = 0.05, margin: Double = 0, minSamples: Int = 0) {
        self.metric = metric
        self.test = test
        self.alpha = alpha
        self.margin = margin
        self.minSamples = minSamples
    }
}

/// A rule's verdict on a comparison, with the evidence it rests on. A value computed from facts, with no I/O.
package struct ComparisonVerdict: Codable, Sendable, Equatable {
    package var metric: ComparedMetric
    package var test: SignificanceTestKind
    package var champion: Double?
    package var challenger: Double?
    /// challenger − champion, as every difference in a comparison.
    package var difference: Double?
    /// The interval of the difference at 1 − alpha (bootstrap percentiles, or DeLong's normal interval at 0.05).
    package var interval: [Double]?
    package var pvalue: Double?
    package var alpha: Double
    package var margin: Double
    package var n: Int
    package var outcome: ComparisonOutcome
    /// Why, in a sentence.
    package var reason: String

    enum CodingKeys: String, CodingKey {
        case metric, test, champion, challenger
        case difference = "diff"
        case interval = "ci"
        case pvalue, alpha, margin, n, outcome, reason
    }

    /// Judges `comparison` by `rule`. The bootstrap's interval is recomputed at the rule's alpha from the stored
    /// replicates, so the same comparison serves any level.
    package init(_ comparison: ModelComparison, rule: SignificanceRule) {
        self.metric = rule.metric
        self.test = rule.test
        self.alpha = rule.alpha
        self.margin = rule.margin
        self.n = comparison.n
        let values = Self.values(of: rule.metric, in: comparison)
        self.champion = values?.champion
        self.challenger = values?.challenger
        self.difference = values.map { $0.challenger - $0.champion }
        self.outcome = .inconclusive
        self.reason = ""
        guard rule.metric.applies(to: comparison.task) else {
            self.reason = "\(rule.metric.rawValue) is not a metric of a \(comparison.task.rawValue) comparison"
            return
        }
        guard let difference else {
            self.reason = "\(rule.metric.rawValue) is undefined on these data (\(Self.undefinedReason(rule.metric, comparison)))"
            return
        }
        guard rule.test.measures(rule.metric) else {
            self.reason = "\(rule.test.rawValue) does not test a difference in \(rule.metric.rawValue)"
            return
        }
        guard comparison.n >= rule.minSamples else {
            self.reason = "\(comparison.n) rows, fewer than the \(rule.minSamples) the rule asks for"
            return
        }
        // Everything below is in improvement units: positive is better, whichever way the metric points.
        let sign: Double = rule.metric.higherIsBetter ? 1 : -1
        let improvement = sign * difference
        switch rule.test {
        case .bootstrap:
            guard let bounds = Self.bootstrapInterval(rule.metric, comparison, alpha: rule.alpha) else {
                self.reason = "the bootstrap has no valid replicate for \(rule.metric.rawValue)"
                return
            }
            self.interval = bounds
            let low = min(sign * bounds[0], sign * bounds[1])
            let high = max(sign * bounds[0], sign * bounds[1])
            self.decideByInterval(low: low, high: high, margin: rule.margin)
        case .delong:
            guard let delong = comparison.delong, let pvalue = delong.pvalue, let ci = delong.ci95 else {
                self.reason = "DeLong's test is undefined here (\(comparison.delong?.edgeCase ?? comparison.delong?.reason ?? "no scores"))"
                return
            }
            self.pvalue = pvalue
            self.interval = ci
            self.decideByPValue(pvalue, improvement: improvement, rule: rule)
        case .mcnemar:
            guard let mcnemar = comparison.mcnemar else {
                self.reason = "McNemar's test needs classes"
                return
            }
            self.pvalue = mcnemar.exact.pvalue
            self.decideByPValue(mcnemar.exact.pvalue, improvement: improvement, rule: rule)
        case .pairedT:
            guard let pvalue = comparison.pairedTTest?.pvalue else {
                self.reason = "the paired t-test is undefined here (\(comparison.pairedTTest?.edgeCase ?? "no errors"))"
                return
            }
            self.pvalue = pvalue
            self.decideByPValue(pvalue, improvement: improvement, rule: rule)
        case .wilcoxon:
            guard let pvalue = comparison.wilcoxon?.pvalue else {
                self.reason = "the Wilcoxon test is undefined here (\(comparison.wilcoxon?.edgeCase ?? "no errors"))"
                return
            }
            self.pvalue = pvalue
            self.decideByPValue(pvalue, improvement: improvement, rule: rule)
        }
    }

    private mutating func decideByInterval(low: Double, high: Double, margin: Double) {
        let interval = "the \(Self.percent(1 - self.alpha)) interval of the improvement [\(low), \(high)]"
        if low > margin {
            self.outcome = .better
            self.reason = "\(interval) lies above the margin \(margin)"
        } else if high <= margin {
            self.outcome = .notBetter
            self.reason = "\(interval) does not reach above the margin \(margin)"
        } else {
            self.outcome = .inconclusive
            self.reason = "\(interval) straddles the margin \(margin)"
        }
    }

    /// A test of "no difference": significant and past the margin is better; significant in the wrong direction is
    /// not better; anything else (not significant, or significant but short of a positive margin) is inconclusive.
    private mutating func decideByPValue(_ pvalue: Double, improvement: Double, rule: SignificanceRule) {
        let significant = pvalue < rule.alpha
        let evidence = "improvement \(improvement), p = \(pvalue) (alpha \(rule.alpha))"
        if significant, improvement > rule.margin {
            self.outcome = .better
            self.reason = "\(evidence): significant and above the margin \(rule.margin)"
        } else if significant, improvement < 0 {
            self.outcome = .notBetter
            self.reason = "\(evidence): significantly worse"
        } else if !significant, improvement == 0, rule.margin >= 0 {
            self.outcome = .notBetter
            self.reason = "\(evidence): no difference at all"
        } else {
            self.outcome = .inconclusive
            self.reason = significant ? "\(evidence): significant, but not above the margin \(rule.margin)" : "\(evidence): not significant"
        }
    }

    private static func undefinedReason(_ metric: ComparedMetric, _ comparison: ModelComparison) -> String {
        if case .binary(let metrics) = comparison.metrics, metric == .rocAUC {
            return metrics.champion.rocAUCError ?? metrics.challenger.rocAUCError ?? "no value"
        }
        return "no value"
    }

    private static func values(of metric: ComparedMetric, in comparison: ModelComparison) -> (champion: Double, challenger: Double)? {
        func pair(_ champion: Double?, _ challenger: Double?) -> (champion: Double, challenger: Double)? {
            guard let champion, let challenger else { return nil }
            return (champion, challenger)
        }
        switch (comparison.metrics, metric) {
        case (.binary(let m), .accuracy): return pair(m.champion.accuracy, m.challenger.accuracy)
        case (.binary(let m), .f1): return pair(m.champion.f1, m.challenger.f1)
        case (.binary(let m), .rocAUC): return pair(m.champion.rocAUC, m.challenger.rocAUC)
        case (.multiclass(let m), .accuracy): return pair(m.champion.accuracy, m.challenger.accuracy)
        case (.multiclass(let m), .f1Macro): return pair(m.champion.f1Macro, m.challenger.f1Macro)
        case (.regression(let m), .mse): return pair(m.champion.mse, m.challenger.mse)
        case (.regression(let m), .mae): return pair(m.champion.mae, m.challenger.mae)
        default: return nil
        }
    }

    /// The percentile interval of the bootstrap difference at 1 − alpha, numpy's linear interpolation.
    private static func bootstrapInterval(_ metric: ComparedMetric, _ comparison: ModelComparison, alpha: Double) -> [Double]? {
        let distribution: BootstrapDistribution?
        switch metric {
        case .accuracy: distribution = comparison.bootstrap.accuracyDiff
        case .f1: distribution = comparison.bootstrap.f1Diff
        case .rocAUC: distribution = comparison.bootstrap.rocAUCDiff
        case .f1Macro: distribution = comparison.bootstrap.f1MacroDiff
        case .mse: distribution = comparison.bootstrap.mseDiff
        case .mae: distribution = comparison.bootstrap.maeDiff
        }
        guard let replicates = distribution?.replicates, !replicates.isEmpty else { return nil }
        let sorted = replicates.sorted()
        return [
            NumPy.percentileLinear(sorted: sorted, 100 * alpha / 2),
            NumPy.percentileLinear(sorted: sorted, 100 * (1 - alpha / 2)),
        ]
    }

    private static func percent(_ share: Double) -> String {
        let value = share * 100
        return value == value.rounded() ? "\(Int(value)) %" : "\(value) %"
    }
}
