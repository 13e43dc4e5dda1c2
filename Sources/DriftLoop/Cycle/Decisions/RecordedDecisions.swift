import Foundation

// The results the actions already return as values are the decisions themselves.

extension DriftReport: CycleDecision {
    public static let key = DecisionKey.drift
}

extension TrainingJobStatus: CycleDecision {
    public static let key = DecisionKey.training
}

extension EvaluationVerdict: CycleDecision {
    public static let key = DecisionKey.evaluation
}

extension PromotionResult: CycleDecision {
    public static let key = DecisionKey.promotion
}
