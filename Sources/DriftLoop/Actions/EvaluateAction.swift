import Logging

/// Compares the challenger with the champion on the trainer's shared holdout, by the pipeline's rules.
struct EvaluateAction: ActionDeclaration {
    enum Outcome: String, ActionOutcome {
        case better
        case notBetter = "not_better"
    }

    static let kind = ActionKind.evaluate
    static let isWaiting = false
    static let summary = "compares challenger and champion metrics by the declared rules"

    func run(_ context: ActionContext) async throws -> ActionResult {
        let training = try context.decision(TrainingJobStatus.self)
        guard let metrics = training.metrics else {
            throw ActionFailure("training job \(training.job) reported no metrics; the evaluation needs challenger metrics")
        }
        let verdict = ChampionChallengerEvaluation.evaluate(
            policy: context.pipeline.evaluation, challenger: metrics.challenger, champion: metrics.champion)
        let outcome: Outcome = verdict.isBetter ? .better : .notBetter
        context.logger.info("evaluation", metadata: ["verdict": "\(outcome.rawValue)", "summary": "\(verdict.summary)"])
        return try ActionResult(outcome, details: ["summary": .string(verdict.summary)], decision: verdict)
    }
}
