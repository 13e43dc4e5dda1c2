import Logging

/// Tests reference against current data. Returns `drift` or `no_drift` by the pipeline's policy, or
/// `forced` for a manual retrain, whose drift figures are still recorded.
struct DetectDriftAction: ActionDeclaration {
    enum Outcome: String, ActionOutcome {
        case drift
        case noDrift = "no_drift"
        case forced
    }

    static let kind = ActionKind.detectDrift
    static let isWaiting = false
    static let summary = "runs the drift tests on reference vs current data; `forced` for manual retrains"

    func run(_ context: ActionContext) async throws -> ActionResult {
        let report = try await DriftCheck.run(context.pipeline, loader: context.services.dataLoader)
        let outcome: Outcome = context.cycle.kind == .manual ? .forced : (report.datasetDrift ? .drift : .noDrift)
        context.logger.info(
            "drift checked",
            metadata: ["drifted_columns": "\(report.driftedColumns)", "share": "\(report.share)", "dataset_drift": "\(report.datasetDrift)"])
        return try ActionResult(
            outcome,
            details: [
                "drifted_columns": .number(Double(report.driftedColumns)), "share": .number(report.share),
                "dataset_drift": .bool(report.datasetDrift),
            ],
            decision: report)
    }
}
