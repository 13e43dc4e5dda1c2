import Foundation

// The results the actions already return as values are the decisions themselves.

extension DriftReport: CycleDecision {
    package static let key = DecisionKey.drift
}

extension TrainingJobStatus: CycleDecision {
    package static let key = DecisionKey.training
}

extension EvaluationVerdict: CycleDecision {
    package static let key = DecisionKey.evaluation
}

extension PromotionResult: CycleDecision {
    package static let key = DecisionKey.promotion
}
