import Foundation

/// A manual gate: waits until someone approves or rejects the cycle (`POST /v1/cycles/{id}/approve|reject` or
/// `driftloop approve CYCLE [--reject]`). The decision, with who made it and their comment, is stored the moment
/// it is given, so it holds across a restart; the state's timeout bounds the wait.
struct ApproveAction: Action {
    static let decisionHandle = "approval"

    func run(_ context: ActionContext) async throws -> ActionResult {
        let interval = context.state.pollInterval ?? .seconds(1)
        while true {
            let handles = try await context.store.cycle(id: context.cycle.id)?.handles ?? [:]
            if let text = handles[Self.decisionHandle], let decision = JSONValue.parse(text), let verdict = decision["verdict"]?.stringValue {
                return ActionResult(
                    outcome: verdict == "approved" ? "approved" : "rejected",
                    details: ["approver": decision["approver"] ?? .null, "comment": decision["comment"] ?? .null], decisions: ["approval": decision])
            }
            try await Task.sleep(for: interval)
        }
    }
}
