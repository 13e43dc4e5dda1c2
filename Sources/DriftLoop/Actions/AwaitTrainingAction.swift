import Foundation
import Logging

/// Polls the cycle's training job until it ends, backing off from the trainer's poll interval to its
/// `max_poll`. When the state times out it stops the job on the trainer (a Jenkins build is aborted) and ends
/// with `timeout`, so no orphaned build keeps running after the cycle gave up on it.
struct AwaitTrainingAction: ActionDeclaration {
    enum Outcome: String, ActionOutcome {
        case succeeded
        case failed
        case unstable
        case aborted
        case notBuilt = "not_built"
    }

    static let kind = ActionKind.awaitTraining
    static let isWaiting = true
    static let optionalOutcomes: Set<Outcome> = [.unstable, .aborted, .notBuilt]
    static let summary = "polls the training job until it ends; Jenkins' UNSTABLE, ABORTED and NOT_BUILT are `failed` unless the state maps them"
    /// Trainer verdicts (Jenkins results) a state may map to their own transitions; unmapped ones mean `failed`.
    static let resultOutcomes: [String: Outcome] = ["UNSTABLE": .unstable, "ABORTED": .aborted, "NOT_BUILT": .notBuilt, "CANCELLED": .aborted]

    func run(_ context: ActionContext) async throws -> ActionResult {
        guard let job = context.cycle.handles[StartTrainingAction.jobHandle] else {
            throw ActionFailure(
                "no training job recorded for cycle \(context.cycle.id); a `start_training` state must come before `\(context.state.name)`")
        }
        let trainer = context.services.trainer
        var handles = context.trainingHandles()
        var interval = context.state.pollInterval ?? context.pipeline.trainer.pollInterval
        let longest = max(interval, context.pipeline.trainer.maxPollInterval)
        while true {
            let status = try await trainer.status(jobId: job, handles: &handles)
            switch status.status {
            case .succeeded:
                guard status.metrics != nil, status.modelURI != nil else {
                    throw ActionFailure("training job \(job) succeeded without metrics or a model_uri; the trainer must report both")
                }
                return try ActionResult(Outcome.succeeded, details: .object(Self.details(job, status)), decision: status)
            case .failed:
                var outcome = Outcome.failed
                if let result = status.result, let mapped = Self.resultOutcomes[result], context.state.transitions[mapped.rawValue] != nil {
                    outcome = mapped
                }
                var details = Self.details(job, status)
                details["error"] = .string(status.error ?? "unknown")
                return try ActionResult(outcome, details: .object(details), decision: status)
            case .queued, .running:
                try await context.clock.sleep(for: interval)
                interval = min(longest, interval * 1.5)
            }
        }
    }

    /// Stops the job the cycle gave up on, so no orphaned build keeps running (and later reports to nobody).
    func cleanUpAfterTimeout(_ context: ActionContext) async -> ActionResult? {
        guard let job = context.cycle.handles[StartTrainingAction.jobHandle] else { return nil }
        var aborted = false
        var abortError: String?
        do {
            aborted = try await context.services.trainer.abort(jobId: job, handles: context.trainingHandles())
        } catch {
            abortError = "\(error)"
        }
        context.logger.warning("training timed out; stopping the job", metadata: ["job": "\(job)", "aborted": "\(aborted)"])
        var record = TrainingJobStatus(job: job, status: .running)
        record.error =
            "state `\(context.state.name)` timed out after \(DurationText.format(context.state.timeout ?? .zero))"
            + (aborted ? "; the job was stopped on the trainer" : "; the trainer could not stop the job\(abortError.map { " (\($0))" } ?? "")")
        var details = Self.details(job, record)
        details["aborted"] = .bool(aborted)
        details["error"] = .string(record.error ?? "")
        return (try? ActionResult(UniversalOutcome.timeout, details: .object(details), decision: record))
            ?? ActionResult(UniversalOutcome.timeout, details: .object(details))
    }

    private static func details(_ job: String, _ status: TrainingJobStatus) -> [String: JSONValue] {
        var details: [String: JSONValue] = ["job": .string(job)]
        if let result = status.result { details["result"] = .string(result) }
        for (key, value) in status.links ?? [:] { details[key] = .string(value) }
        return details
    }
}
