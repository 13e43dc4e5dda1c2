import Foundation

/// The verdict of one comparison rule, stored with its inputs so anyone can see why.
package struct RuleVerdict: Sendable, Codable {
    package var kind: String
    package var metric: String
    package var direction: MetricDirection
    package var champion: Double?
    package var challenger: Double?
    /// The requirement in words, e.g. `improve by >= 0.01`.
    package var requirement: String
    package var passed: Bool
    package var explanation: String
}

/// Whether a challenger beats the champion, rule by rule.
package struct EvaluationVerdict: Sendable, Codable {
    package var isBetter: Bool
    package var rules: [RuleVerdict]
    package var summary: String

    enum CodingKeys: String, CodingKey {
        case rules, summary
        case isBetter = "is_better"
    }
}

/// Applies a pipeline's evaluation rules to challenger and champion metrics from the same holdout.
package enum ChampionChallengerEvaluation {
    package static func evaluate(policy: EvaluationPolicy, challenger: [String: Double], champion: [String: Double]?) -> EvaluationVerdict {
        var rules: [RuleVerdict] = [Self.primary(policy.primary, challenger: challenger, champion: champion)]
        for rule in policy.guards { rules.append(Self.guardRule(rule, challenger: challenger, champion: champion)) }
        let failed = rules.filter { !$0.passed }
        let summary =
            failed.isEmpty
            ? "challenger passes all \(rules.count) rule(s): \(rules.map(\.explanation).joined(separator: "; "))"
            : "challenger fails \(failed.count) of \(rules.count) rule(s): \(failed.map(\.explanation).joined(separator: "; "))"
        return EvaluationVerdict(isBetter: failed.isEmpty, rules: rules, summary: summary)
    }

    /// Four decimals; a value that rounds to zero prints as 0.0000, never -0.0000 (an equal lower-is-better metric
    /// gives a regression of -0.0, which read as a loss).
    package static func format(_ value: Double) -> String {
        let text = String(format: "%.4f", value)
        return text == "-0.0000" ? "0.0000" : text
    }

    private static func primary(_ rule: PrimaryMetricRule, challenger: [String: Double], champion: [String: Double]?) -> RuleVerdict {
        let sign: Double = rule.direction == .higher ? 1 : -1
        var requirement = "improve \(rule.metric) (\(rule.direction.rawValue) is better) by >= \(rule.minImprovement)"
        if rule.minRelativeImprovement > 0 { requirement += " and by >= \(rule.minRelativeImprovement * 100)% relative" }
        var verdict = RuleVerdict(
            kind: "primary", metric: rule.metric, direction: rule.direction, champion: champion?[rule.metric], challenger: challenger[rule.metric],
            requirement: requirement, passed: false, explanation: "")
        guard let challengerValue = challenger[rule.metric] else {
            verdict.explanation = "the challenger reported no `\(rule.metric)`"
            return verdict
        }
        guard let championValue = champion?[rule.metric] else {
            if let floor = rule.floor {
                verdict.requirement = "no champion: \(rule.metric) \(rule.direction == .higher ? ">=" : "<=") \(floor)"
                verdict.passed = sign * (challengerValue - floor) >= 0
                verdict.explanation =
                    "no champion to compare; challenger \(rule.metric) \(Self.format(challengerValue)) \(verdict.passed ? "meets" : "misses") the floor \(floor)"
            } else {
                verdict.requirement = "no champion: any value"
                verdict.passed = true
                verdict.explanation = "no champion yet; challenger \(rule.metric) \(Self.format(challengerValue)) becomes the first champion"
            }
            return verdict
        }
        let improvement = sign * (challengerValue - championValue)
        let relative = championValue != 0 ? improvement / abs(championValue) : (improvement > 0 ? Double.infinity : 0)
        verdict.passed = improvement >= rule.minImprovement && relative >= rule.minRelativeImprovement
        verdict.explanation =
            "\(rule.metric): challenger \(Self.format(challengerValue)) vs champion \(Self.format(championValue)), improvement \(Self.format(improvement))"
            + " (\(relative.isFinite ? Self.format(relative * 100) + "%" : "n/a") relative) \(verdict.passed ? "meets" : "misses") >= \(rule.minImprovement)"
        return verdict
    }

    private static func guardRule(_ rule: GuardMetricRule, challenger: [String: Double], champion: [String: Double]?) -> RuleVerdict {
        let sign: Double = rule.direction == .higher ? 1 : -1
        var verdict = RuleVerdict(
            kind: "guard", metric: rule.metric, direction: rule.direction, champion: champion?[rule.metric], challenger: challenger[rule.metric],
            requirement: "\(rule.metric) regresses by <= \(rule.maxRegression)", passed: false, explanation: "")
        guard let challengerValue = challenger[rule.metric] else {
            verdict.explanation = "the challenger reported no `\(rule.metric)` (guard)"
            return verdict
        }
        guard let championValue = champion?[rule.metric] else {
            verdict.passed = true
            verdict.explanation = "guard \(rule.metric): no champion value to compare"
            return verdict
        }
        let regression = sign * (championValue - challengerValue)
        verdict.passed = regression <= rule.maxRegression
        verdict.explanation =
            "guard \(rule.metric): challenger \(Self.format(challengerValue)) vs champion \(Self.format(championValue)), regression \(Self.format(max(0, regression))) \(verdict.passed ? "within" : "beyond") \(rule.maxRegression)"
        return verdict
    }
}
