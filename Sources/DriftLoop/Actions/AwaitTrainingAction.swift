/// Polls the cycle's training job until it ends; the state's timeout bounds the wait.
struct AwaitTrainingAction: Action {
    func run(_ context: ActionContext) async throws -> ActionResult {
        guard let job = context.cycle.handles[StartTrainingAction.jobHandle] else {
            throw ActionFailure("no training job recorded for cycle \(context.cycle.id); a `start_training` state must come before `\(context.state.name)`")
        }
        let interval = context.state.pollInterval ?? context.pipeline.trainer.pollInterval
        while true {
            let status = try await context.services.trainer.status(jobId: job)
            switch status.status {
            case .succeeded:
                guard status.metrics != nil, status.modelURI != nil else {
                    throw ActionFailure("training job \(job) succeeded without metrics or a model_uri; the trainer must report both")
                }
                return ActionResult(outcome: "succeeded", details: ["job": .string(job)], decisions: ["training": try JSONValue.encoding(status)])
            case .failed:
                return ActionResult(
                    outcome: "failed", details: ["job": .string(job), "error": .string(status.error ?? "unknown")],
                    decisions: ["training": try JSONValue.encoding(status)])
            case .queued, .running:
                try await Task.sleep(for: interval)
            }
        }
    }
}
