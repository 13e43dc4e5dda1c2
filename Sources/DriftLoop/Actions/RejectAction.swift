import Foundation

/// Marks the challenger rejected in the registry, with the evaluation's reason.
struct RejectAction: ActionDeclaration {
    enum Outcome: String, ActionOutcome {
        case rejected
    }

    static let kind = ActionKind.reject
    static let isWaiting = false
    static let summary = "registers the challenger and marks it rejected with the reason"

    func run(_ context: ActionContext) async throws -> ActionResult {
        var context = context
        let version = try await RegisterChallenger.register(&context)
        let reason: String
        if let approval = context.cycle.decision(ApprovalDecision.self), approval.verdict == .rejected {
            reason = approval.text
        } else {
            reason = context.cycle.decision(EvaluationVerdict.self)?.summary ?? "rejected by pipeline \(context.pipeline.name)"
        }
        try await context.services.registry.reject(model: context.pipeline.model, version: version.version, reason: reason)
        await RegisterChallenger.recordDecisions(context, version: version.version, verdict: Outcome.rejected.rawValue)
        return try ActionResult(
            Outcome.rejected, details: ["version": .string(version.version)], decision: RejectionDecision(version: version.version, reason: reason))
    }
}
