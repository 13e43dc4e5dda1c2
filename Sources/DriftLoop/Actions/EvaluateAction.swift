import Logging
/// Compares the challenger with the champion on the trainer's shared holdout, by the pipeline's rules.
struct EvaluateAction: Action {
    func run(_ context: ActionContext) async throws -> ActionResult {
        let training = try context.decision("training", as: TrainingJobStatus.self)
        guard let metrics = training.metrics else {
            throw ActionFailure("training job \(training.job) reported no metrics; the evaluation needs challenger metrics")
        }
        let verdict = ChampionChallengerEvaluation.evaluate(policy: context.pipeline.evaluation, challenger: metrics.challenger, champion: metrics.champion)
        context.logger.info("evaluation", metadata: ["verdict": "\(verdict.isBetter ? "better" : "not_better")", "summary": "\(verdict.summary)"])
        return ActionResult(
            outcome: verdict.isBetter ? "better" : "not_better", details: ["summary": .string(verdict.summary)],
            decisions: ["evaluation": try JSONValue.encoding(verdict)])
    }
}
