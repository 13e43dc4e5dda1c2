import Logging

/// Tests reference against current data. Returns `drift` or `no_drift` by the pipeline's policy, or
/// `forced` for a manual retrain, whose drift figures are still recorded.
struct DetectDriftAction: Action {
    func run(_ context: ActionContext) async throws -> ActionResult {
        let report = try await DriftCheck.run(context.pipeline, loader: context.services.dataLoader)
        let outcome = context.cycle.kind == .manual ? "forced" : (report.datasetDrift ? "drift" : "no_drift")
        context.logger.info(
            "drift checked",
            metadata: ["drifted_columns": "\(report.driftedColumns)", "share": "\(report.share)", "dataset_drift": "\(report.datasetDrift)"])
        return ActionResult(
            outcome: outcome,
            details: ["drifted_columns": .number(Double(report.driftedColumns)), "share": .number(report.share), "dataset_drift": .bool(report.datasetDrift)],
            decisions: ["drift": try JSONValue.encoding(report)])
    }
}
