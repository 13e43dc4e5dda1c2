import Testing

@testable import DriftLoop

/// What `evaluate` writes in a verdict's explanation, as a user reads it in `driftloop show`.
@Suite struct EvaluationExplanationTests {
    @Test func anEqualLowerIsBetterMetricShowsNoNegativeZero() {
        let policy = EvaluationPolicy(
            primary: PrimaryMetricRule(metric: "accuracy", direction: .higher, minImprovement: 0, minRelativeImprovement: 0, floor: nil),
            guards: [GuardMetricRule(metric: "log_loss", direction: .lower, maxRegression: 0.05)])
        let verdict = ChampionChallengerEvaluation.evaluate(
            policy: policy, challenger: ["accuracy": 0.9, "log_loss": 0.31], champion: ["accuracy": 0.8, "log_loss": 0.31])
        let explanation = verdict.rules[1].explanation
        #expect(explanation.contains("regression 0.0000 within 0.05"), "\(explanation)")
        #expect(!verdict.summary.contains("-0.0000"), "\(verdict.summary)")
    }

    @Test func tinyNegativesRoundToZeroWithoutASign() {
        #expect(ChampionChallengerEvaluation.format(-0.0) == "0.0000")
        #expect(ChampionChallengerEvaluation.format(-0.00001) == "0.0000")
        #expect(ChampionChallengerEvaluation.format(-0.25) == "-0.2500")
    }
}
