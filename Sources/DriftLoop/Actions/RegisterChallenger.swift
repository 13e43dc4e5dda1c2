import Foundation
import Logging

/// Registering the challenger is shared by promotion and rejection: both keep the version for the record.
enum RegisterChallenger {
    static func register(_ context: inout ActionContext) async throws -> ModelVersion {
        let training = try context.decision(TrainingJobStatus.self)
        guard let modelURI = training.modelURI else {
            throw ActionFailure("training job \(training.job) reported no model_uri; nothing to register")
        }
        do {
            try context.services.modelRoots?.check(modelURI)
        } catch {
            throw ActionFailure(error.description)
        }
        let version = try await context.services.registry.registerChallenger(
            model: context.pipeline.model, sourceURI: modelURI, cycleId: context.cycle.id, pipeline: context.pipeline.name,
            metrics: training.metrics?.challenger ?? [:])
        if context.cycle.handles[PromoteAction.versionHandle] != version.version {
            try await context.recordHandle(PromoteAction.versionHandle, version.version)
        }
        return version
    }

    /// Best effort: the cycle store already holds every decision, so a registry that cannot take them now
    /// (MLflow's artifact store misconfigured, say) must not undo a promotion; the warning says what was lost.
    static func recordDecisions(_ context: ActionContext, version: String, verdict: String) async {
        do {
            try await context.services.registry.recordDecisions(
                model: context.pipeline.model, version: version, cycleId: context.cycle.id, verdict: verdict, decisions: context.cycle.decisions)
        } catch {
            context.logger.warning("could not log the decisions to the registry", metadata: ["version": "\(version)", "error": "\(error)"])
        }
    }
}
