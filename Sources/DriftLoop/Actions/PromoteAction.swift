import Foundation
import Logging

/// Registers the challenger and makes it the champion. Each step is idempotent (the registry finds the
/// version by cycle id; promoting the champion again is a no-op), and the champion history gets exactly
/// one entry per promoting cycle, even when a restart repeats the state.
struct PromoteAction: ActionDeclaration {
    enum Outcome: String, ActionOutcome {
        case promoted
    }

    static let kind = ActionKind.promote
    static let isWaiting = false
    static let summary = "registers the challenger and makes it the champion (once per cycle)"
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
                    kind: .promotion, at: context.clock.now(), actor: "controller", reason: context.cycle.decision(EvaluationVerdict.self)?.summary))
        }
        await RegisterChallenger.recordDecisions(context, version: version.version, verdict: Outcome.promoted.rawValue)
        context.logger.info("promoted", metadata: ["model": "\(context.pipeline.model)", "version": "\(version.version)"])
        return try ActionResult(Outcome.promoted, details: ["version": .string(version.version)], decision: result)
    }
}
