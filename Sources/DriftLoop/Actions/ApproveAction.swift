import Foundation

/// A manual gate: waits until someone approves or rejects the cycle (`POST /v1/cycles/{id}/approve|reject` or
/// `driftloop approve CYCLE [--reject]`). The decision, with who made it and their comment, is stored the moment
/// it is given, so it holds across a restart; the state's timeout bounds the wait.
package struct ApproveAction: ActionDeclaration {
    public enum Outcome: String, ActionOutcome {
        case approved
        case rejected
    }

    package static let kind = ActionKind.approve
    package static let isWaiting = true
    package static let summary = "waits for a person to approve or reject (API or `driftloop approve`); who and why are recorded"

    package init() {}
    static let decisionHandle = "approval"

    package func run(_ context: ActionContext) async throws -> ActionResult {
        let interval = context.state.pollInterval ?? .seconds(1)
        while true {
            let handles = try await context.store.cycle(id: context.cycle.id)?.handles ?? [:]
            if let text = handles[Self.decisionHandle], let decision = try? JSONValue.parse(text)?.decoded(as: ApprovalDecision.self) {
                return try ActionResult(
                    decision.verdict, details: ["approver": .string(decision.approver), "comment": decision.comment.map(JSONValue.string) ?? .null],
                    decision: decision)
            }
            try await context.clock.sleep(for: interval)
        }
    }
}
