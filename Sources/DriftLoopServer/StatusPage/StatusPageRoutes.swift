import DriftLoop
import Foundation
import Hummingbird
import Mustache

/// The read-only HTML status page: `GET /` (pipelines, their champion, last cycle and current drift, then the
/// latest cycles) and `GET /cycles/{id}` (a cycle's transitions, drift and comparison tables). It reads what
/// the `GET /v1` routes read and, like them, needs no token.
struct StatusPageRoutes: Sendable {
    var controller: Controller
    var driftChecks: LatestDriftChecks
    var authorizer: BearerTokenAuthorizer
    var library: MustacheLibrary
    var refreshSeconds = 10
    var recentCycleCount = 15

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in
            try self.authorizer.authorize(request, role: .read)
            return try await self.overview()
        }
        router.get("/cycles/:id") { request, context in
            try self.authorizer.authorize(request, role: .read)
            return try await self.cycle(try context.parameters.require("id"))
        }
    }

    private func overview() async throws -> Response {
        let now = self.controller.clock.now()
        var rows: [PipelineRow] = []
        for pipeline in await self.controller.pipelines() { rows.append(try await self.row(pipeline, now: now)) }
        let recent = try await self.controller.history.cycles(pipeline: nil, limit: self.recentCycleCount)
        let page = OverviewPage(
            refreshSeconds: self.refreshSeconds, renderedAt: StatusFormat.time(now), pipelineCount: rows.count, pipelines: rows,
            recentCycles: recent.map { CycleRow($0, now: now) })
        return self.html(page, template: "overview")
    }

    /// One pipeline's row: the champion as the registry has it (as `/v1/pipelines` reads it), the latest cycle,
    /// and the newer of the latest cycle's drift check and the latest scheduled check.
    private func row(_ pipeline: PipelineDefinition, now: Date) async throws -> PipelineRow {
        let history = self.controller.history
        let champion = (try? await self.controller.services(for: pipeline.name)?.registry.champion(model: pipeline.model)) ?? nil
        let change = try await history.championHistory(model: pipeline.model).last
        let cycles = try await history.cycles(pipeline: pipeline.name, limit: 20)
        var drift: DriftSummary?
        var driftAt = Date.distantPast
        if let checked = cycles.first(where: { $0.decision(DriftReport.self) != nil }), let report = checked.decision(DriftReport.self) {
            driftAt = try await self.driftCheckTime(of: checked, pipeline: pipeline)
            drift = DriftSummary(report: report, cycleId: checked.id, at: driftAt, now: now)
        }
        if let scheduled = self.driftChecks.latest(pipeline: pipeline.name), scheduled.at > driftAt {
            drift = DriftSummary(report: scheduled.report, cycleId: nil, at: scheduled.at, now: now)
        }
        return PipelineRow(
            pipelineName: pipeline.name, model: pipeline.model, trainerKind: pipeline.trainer.kind.rawValue,
            registryKind: pipeline.registry.kind.rawValue,
            champion: champion.map { ChampionCell(version: $0.version, change: change, now: now) },
            lastCycle: cycles.first.map { CycleRow($0, now: now) },
            currentDrift: drift)
    }

    /// When a cycle's drift check ended: its move out of the `detect_drift` state, else the cycle's start.
    private func driftCheckTime(of cycle: CycleRecord, pipeline: PipelineDefinition) async throws -> Date {
        let transitions = try await self.controller.history.transitions(cycleId: cycle.id)
        let detect = transitions.first { transition in transition.from.flatMap { pipeline.states[$0]?.action } == .detectDrift }
        return detect?.at ?? cycle.createdAt
    }

    private func cycle(_ id: String) async throws -> Response {
        let now = self.controller.clock.now()
        let history = self.controller.history
        guard let cycle = try await history.cycle(id: id) else {
            let page = NotFoundPage(
                renderedAt: StatusFormat.time(now),
                missingWhat: "There is no cycle with id `\(id)`; it may never have existed, or retention removed it.")
            return self.html(page, template: "not_found", status: .notFound)
        }
        let pipeline = await self.controller.pipeline(named: cycle.pipeline)
        let transitions = try await history.transitions(cycleId: id)
        let total = try await history.triggerCount(cycleId: id)
        var drift: DriftTable?
        if let report = cycle.decision(DriftReport.self) {
            let detect = transitions.first { transition in transition.from.flatMap { pipeline?.states[$0]?.action } == .detectDrift }
            drift = DriftTable(report: report, cycleId: cycle.id, at: detect?.at ?? cycle.createdAt, now: now)
        }
        let page = CyclePage(
            pageTitle: "cycle \(cycle.id) · \(cycle.pipeline)", refreshSeconds: cycle.status == .running ? self.refreshSeconds : nil,
            renderedAt: StatusFormat.time(now), cycle: CycleRow(cycle, now: now), model: pipeline?.model ?? "–",
            resultText: CyclePage.result(cycle), approvalText: CyclePage.approval(cycle),
            transitions: transitions.map { TransitionRow($0, start: cycle.createdAt) }, drift: drift,
            comparison: cycle.decision(EvaluationVerdict.self).map(ComparisonTable.init(evaluation:)),
            triggers: try await history.triggers(cycleId: id, after: Int64.min, limit: APIRoutes.triggersShown).map(TriggerRow.init),
            triggersTotal: total,
            moreTriggersText: total > APIRoutes.triggersShown
                ? "… and \(total - APIRoutes.triggersShown) more, listed by GET /v1/cycles/\(id)/triggers" : nil)
        return self.html(page, template: "cycle")
    }

    private func html(_ page: Any, template: String, status: HTTPResponse.Status = .ok) -> Response {
        let text =
            self.library.render(page, withTemplate: template)
            ?? "<!DOCTYPE html><title>driftloop</title><p>the status page template `\(template)` is missing</p>"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension CyclePage {
    /// What the cycle did to the registry: its promotion, rejection or rollback.
    static func result(_ cycle: CycleRecord) -> String? {
        if let promotion = cycle.decision(PromotionResult.self) {
            if promotion.wasAlreadyChampion { return "version \(promotion.version) was already the champion" }
            return "version \(promotion.version) promoted to champion"
                + (promotion.previousVersion.map { " (was version \($0))" } ?? " (the first champion)")
        }
        if let rejection = cycle.decision(RejectionDecision.self) {
            return "version \(rejection.version) registered and rejected: \(rejection.reason)"
        }
        return cycle.decision(RollbackDecision.self)?.text
    }

    /// Who approved or rejected the cycle at an `approve` state, and why.
    static func approval(_ cycle: CycleRecord) -> String? {
        cycle.decision(ApprovalDecision.self)?.text
    }
}
