import Foundation
import Logging

/// Watches a fresh champion for the pipeline's `observe.window`, checking each rule every `observe.interval`.
/// The first rule that trips (for its `failures` consecutive checks) rolls the champion back to the version it
/// replaced and ends with `rolled_back`; a quiet window ends with `healthy`.
///
/// The window starts when the state is first entered (a handle, so a restart does not extend it), and the
/// rollback target is recorded before the registry is asked: a restart after the move finds the champion already
/// there and does not roll back twice.
package struct ObserveAction: ActionDeclaration {
    public enum Outcome: String, ActionOutcome {
        case healthy
        case rolledBack = "rolled_back"
    }

    package static let kind = ActionKind.observe
    package static let isWaiting = true
    package static let summary = "watches the new champion's declared signals (PromQL) for `observe.window`; rolls back when a rule trips"

    package init() {}
    static let startedHandle = "observe_started_at"
    static let rollbackHandle = "observe_rollback_to"

    package func run(_ context: ActionContext) async throws -> ActionResult {
        guard let policy = context.pipeline.observation else {
            throw ActionFailure("state `\(context.state.name)` runs `observe`, but the pipeline declares no `observe:` section")
        }
        var context = context
        if let target = context.cycle.handles[Self.rollbackHandle] {
            return try await self.rollBack(to: target, verdicts: [], context: &context)
        }
        let startedAt: Date
        if let recorded = context.cycle.handles[Self.startedHandle], let seconds = Double(recorded) {
            startedAt = Date(timeIntervalSince1970: seconds)
        } else {
            startedAt = context.clock.now()
            try await context.recordHandle(Self.startedHandle, String(startedAt.timeIntervalSince1970))
        }
        let token = policy.prometheusTokenEnvironmentVariable.flatMap { ProcessInfo.processInfo.environment[$0] }
        let prometheus = PrometheusQueryClient(baseURL: policy.prometheusURL, token: token, client: context.services.dataLoader.client)
        var streaks = [String: Int]()
        var checks = 0
        var last: [ObservationReading] = []
        while true {
            checks += 1
            last = []
            for rule in policy.rules {
                let check = try await Self.check(rule, prometheus: prometheus)
                streaks[rule.name] = check.tripped ? (streaks[rule.name] ?? 0) + 1 : 0
                last.append(check)
                if check.tripped, streaks[rule.name, default: 0] >= rule.failures {
                    context.logger.warning(
                        "observed signal tripped; rolling back", metadata: ["rule": "\(rule.name)", "value": "\(check.value ?? .nan)"])
                    guard let previous = try await context.services.registry.previousChampion(model: context.pipeline.model) else {
                        throw ActionFailure(
                            "rule `\(rule.name)` tripped (\(check.explanation)) but model \(context.pipeline.model) has no previous champion to roll back to"
                        )
                    }
                    try await context.recordHandle(Self.rollbackHandle, previous.version)
                    return try await self.rollBack(to: previous.version, verdicts: last, context: &context)
                }
            }
            let elapsed = context.clock.now().timeIntervalSince(startedAt)
            if elapsed >= policy.window.seconds {
                return try ActionResult(
                    Outcome.healthy, details: ["checks": .number(Double(checks))],
                    decision: ObservationDecision.healthy(window: policy.window, checks: checks, last: last))
            }
            try await context.clock.sleep(for: min(policy.interval, .milliseconds(Int64((policy.window.seconds - elapsed) * 1000) + 1)))
        }
    }

    private func rollBack(to target: String, verdicts: [ObservationReading], context: inout ActionContext) async throws -> ActionResult {
        let model = context.pipeline.model
        let champion = try await context.services.registry.champion(model: model)
        var from = champion?.version
        if champion?.version != target {
            let moved = try await context.services.registry.rollback(model: model, to: target)
            from = moved.from.version
        }
        let tripped = verdicts.first { $0.tripped }
        let reason = tripped.map { "observe: \($0.explanation)" } ?? "observe: a rule tripped (rollback resumed after a restart)"
        let history = try await context.store.championHistory(model: model)
        if !history.contains(where: { $0.cycleId == context.cycle.id && $0.kind == .rollback }) {
            try await context.store.recordChampionChange(
                ChampionChange(
                    model: model, version: target, previousVersion: from, cycleId: context.cycle.id, kind: .rollback, at: context.clock.now(),
                    actor: ActionKind.observe.rawValue, reason: reason))
        }
        return try ActionResult(
            Outcome.rolledBack,
            details: ["to_version": .string(target), "from_version": from.map(JSONValue.string) ?? .null, "reason": .string(reason)],
            decision: ObservationDecision.rolledBack(to: target, reason: reason, readings: verdicts))
    }

    private static func check(_ rule: ObservationPolicy.Rule, prometheus: PrometheusQueryClient) async throws -> ObservationReading {
        let values = try await prometheus.values(rule.query).filter { !$0.isNaN }
        // No series: nothing is known to be wrong (the service may have no traffic yet), so the rule holds.
        guard let value = rule.comparison == .above ? values.max() : values.min() else {
            return ObservationReading(
                rule: rule.name, query: rule.query, value: nil, threshold: rule.threshold, comparison: rule.comparison, tripped: false,
                explanation: "\(rule.name): no data")
        }
        let tripped = rule.comparison == .above ? value > rule.threshold : value < rule.threshold
        return ObservationReading(
            rule: rule.name, query: rule.query, value: value, threshold: rule.threshold, comparison: rule.comparison, tripped: tripped,
            explanation: "\(rule.name) = \(value) is \(tripped ? "" : "not ")\(rule.comparison.rawValue) \(rule.threshold)")
    }
}
