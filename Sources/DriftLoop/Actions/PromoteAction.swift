import Logging
import Foundation

/// Registers the challenger and makes it the champion. Each step is idempotent (the registry finds the
/// version by cycle id; promoting the champion again is a no-op), and the champion history gets exactly
/// one entry per promoting cycle, even when a restart repeats the state.
struct PromoteAction: Action {
    static let versionHandle = "registered_version"

    func run(_ context: ActionContext) async throws -> ActionResult {
        var context = context
        let version = try await RegisterChallenger.register(&context)
        let result = try await context.services.registry.promote(model: context.pipeline.model, version: version.version)
        let history = try await context.store.championHistory(model: context.pipeline.model)
        if !history.contains(where: { $0.cycleId == context.cycle.id && $0.kind == .promotion }) {
            try await context.store.recordChampionChange(
                ChampionChange(
                    model: context.pipeline.model, version: version.version, previousVersion: result.previousVersion, cycleId: context.cycle.id,
                    kind: .promotion, at: Date(), actor: "controller", reason: context.cycle.decisions["evaluation"]?["summary"]?.stringValue))
        }
        await RegisterChallenger.recordDecisions(context, version: version.version, verdict: "promoted")
        context.logger.info("promoted", metadata: ["model": "\(context.pipeline.model)", "version": "\(version.version)"])
        return ActionResult(
            outcome: "promoted", details: ["version": .string(version.version)],
            decisions: ["promotion": try JSONValue.encoding(result)])
    }
}

/// Marks the challenger rejected in the registry, with the evaluation's reason.
struct RejectAction: Action {
    func run(_ context: ActionContext) async throws -> ActionResult {
        var context = context
        let version = try await RegisterChallenger.register(&context)
        let approval = context.cycle.decisions["approval"]
        let reason: String
        if approval?["verdict"]?.stringValue == "rejected" {
            reason = "rejected by \(approval?["approver"]?.stringValue ?? "a person")" + (approval?["comment"]?.stringValue.map { ": \($0)" } ?? "")
        } else {
            reason = context.cycle.decisions["evaluation"]?["summary"]?.stringValue ?? "rejected by pipeline \(context.pipeline.name)"
        }
        try await context.services.registry.reject(model: context.pipeline.model, version: version.version, reason: reason)
        await RegisterChallenger.recordDecisions(context, version: version.version, verdict: "rejected")
        return ActionResult(
            outcome: "rejected", details: ["version": .string(version.version)],
            decisions: ["rejection": ["version": .string(version.version), "reason": .string(reason)]])
    }
}

/// Registering the challenger is shared by promotion and rejection: both keep the version for the record.
enum RegisterChallenger {
    static func register(_ context: inout ActionContext) async throws -> ModelVersion {
        let training = try context.decision("training", as: TrainingJobStatus.self)
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
