import Foundation
import Logging

/// Watches a fresh champion for the pipeline's `observe.window`, checking each rule every `observe.interval`.
/// The first rule that trips (for its `failures` consecutive checks) rolls the champion back to the version it
/// replaced and ends with `rolled_back`; a quiet window ends with `healthy`.
///
/// The window starts when the state is first entered (a handle, so a restart does not extend it), and the
/// rollback target is recorded before the registry is asked: a restart after the move finds the champion already
/// there and does not roll back twice.
struct ObserveAction: Action {
    static let startedHandle = "observe_started_at"
    static let rollbackHandle = "observe_rollback_to"

    func run(_ context: ActionContext) async throws -> ActionResult {
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
            startedAt = Date()
            try await context.recordHandle(Self.startedHandle, String(startedAt.timeIntervalSince1970))
        }
        let token = policy.prometheusTokenEnvironmentVariable.flatMap { ProcessInfo.processInfo.environment[$0] }
        let prometheus = PrometheusQueryClient(baseURL: policy.prometheusURL, token: token, client: context.services.dataLoader.client)
        var streaks = [String: Int]()
        var checks = 0
        var last: [RuleCheck] = []
        while true {
            checks += 1
            last = []
            for rule in policy.rules {
                let check = try await Self.check(rule, prometheus: prometheus)
                streaks[rule.name] = check.tripped ? (streaks[rule.name] ?? 0) + 1 : 0
                last.append(check)
                if check.tripped, streaks[rule.name, default: 0] >= rule.failures {
                    context.logger.warning("observed signal tripped; rolling back", metadata: ["rule": "\(rule.name)", "value": "\(check.value ?? .nan)"])
                    guard let previous = try await context.services.registry.previousChampion(model: context.pipeline.model) else {
                        throw ActionFailure("rule `\(rule.name)` tripped (\(check.explanation)) but model \(context.pipeline.model) has no previous champion to roll back to")
                    }
                    try await context.recordHandle(Self.rollbackHandle, previous.version)
                    return try await self.rollBack(to: previous.version, verdicts: last, context: &context)
                }
            }
            let elapsed = Date().timeIntervalSince(startedAt)
            if elapsed >= policy.window.seconds {
                return ActionResult(
                    outcome: "healthy", details: ["checks": .number(Double(checks))],
                    decisions: ["observation": ["verdict": "healthy", "window": .string(DurationText.format(policy.window)), "checks": .number(Double(checks)), "last": try JSONValue.encoding(last)]])
            }
            try await Task.sleep(for: min(policy.interval, .milliseconds(Int64((policy.window.seconds - elapsed) * 1000) + 1)))
        }
    }

    private func rollBack(to target: String, verdicts: [RuleCheck], context: inout ActionContext) async throws -> ActionResult {
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
                ChampionChange(model: model, version: target, previousVersion: from, cycleId: context.cycle.id, kind: .rollback, at: Date(), actor: "observe", reason: reason))
        }
        return ActionResult(
            outcome: "rolled_back", details: ["to_version": .string(target), "from_version": from.map(JSONValue.string) ?? .null, "reason": .string(reason)],
            decisions: ["observation": ["verdict": "rolled_back", "to_version": .string(target), "reason": .string(reason), "checks": try JSONValue.encoding(verdicts)]])
    }

    /// One rule's reading, kept in the cycle record.
    struct RuleCheck: Codable {
        var rule: String
        var query: String
        var value: Double?
        var threshold: Double
        var comparison: ObservationPolicy.Rule.Comparison
        var tripped: Bool
        var explanation: String
    }

    private static func check(_ rule: ObservationPolicy.Rule, prometheus: PrometheusQueryClient) async throws -> RuleCheck {
        let values = try await prometheus.values(rule.query).filter { !$0.isNaN }
        // No series: nothing is known to be wrong (the service may have no traffic yet), so the rule holds.
        guard let value = rule.comparison == .above ? values.max() : values.min() else {
            return RuleCheck(
                rule: rule.name, query: rule.query, value: nil, threshold: rule.threshold, comparison: rule.comparison, tripped: false,
                explanation: "\(rule.name): no data")
        }
        let tripped = rule.comparison == .above ? value > rule.threshold : value < rule.threshold
        return RuleCheck(
            rule: rule.name, query: rule.query, value: value, threshold: rule.threshold, comparison: rule.comparison, tripped: tripped,
            explanation: "\(rule.name) = \(value) is \(tripped ? "" : "not ")\(rule.comparison.rawValue) \(rule.threshold)")
    }
}
