import Logging

/// Asks the trainer for a job, once per cycle: the job id is recorded before the state ends, and the
/// cycle id is the idempotency key, so even a crash between the request and the record starts no second job.
struct StartTrainingAction: ActionDeclaration {
    enum Outcome: String, ActionOutcome {
        case started
    }

    static let kind = ActionKind.startTraining
    static let isWaiting = false
    static let summary = "asks the trainer for a job (once per cycle) and records its handle"
    static let jobHandle = "training_job"

    func run(_ context: ActionContext) async throws -> ActionResult {
        var context = context
        if let existing = context.cycle.handles[Self.jobHandle] {
            return ActionResult(Outcome.started, details: ["job": .string(existing), "resumed": true])
        }
        let champion = try await context.services.registry.champion(model: context.pipeline.model)
        let pipeline = context.pipeline
        let reason = context.cycle.decision(TriggerDecision.self)?.trainingReason
        let request = TrainingRequest(
            cycleId: context.cycle.id, pipeline: pipeline.name, modelName: pipeline.model,
            data: .init(reference: pipeline.data.reference, current: pipeline.data.current), target: pipeline.data.target,
            features: nil,
            champion: champion.map { .init(version: $0.version, modelURI: $0.artifactURI ?? $0.sourceURI) },
            params: pipeline.trainer.parameters, reason: reason,
            cycleURL: context.services.publicURL.map { "\($0)/v1/cycles/\(context.cycle.id)" })
        var handles = context.trainingHandles()
        let job = try await context.services.trainer.start(request, idempotencyKey: context.cycle.id, handles: &handles)
        try await context.recordHandle(Self.jobHandle, job)
        context.logger.info("training job started", metadata: ["job": "\(job)"])
        return ActionResult(
            Outcome.started, details: ["job": .string(job), "champion_version": champion.map { .string($0.version) } ?? .null])
    }
}
