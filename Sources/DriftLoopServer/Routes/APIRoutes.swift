import DriftLoop
import Foundation
import Hummingbird

/// The JSON API under `/v1`, plus health checks.
struct APIRoutes: Sendable {
    var controller: Controller
    var authorizer: BearerTokenAuthorizer
    var bodies: RequestBodyDecoder

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.get("/readyz") { _, _ in try await self.ready() }
        // Load balancers often probe with HEAD; Hummingbird drops the body.
        router.head("/healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.head("/readyz") { _, _ in try await self.ready() }
        router.get("/v1/pipelines") { request, _ in
            try self.authorizer.authorize(request, role: .read)
            return try await self.listPipelines()
        }
        router.get("/v1/pipelines/:name") { request, context in
            try self.authorizer.authorize(request, role: .read)
            return try await self.pipeline(try context.parameters.require("name"))
        }
        router.post("/v1/pipelines/:name/retrain") { request, context in
            try await self.retrain(request, name: try context.parameters.require("name"))
        }
        router.post("/v1/pipelines/:name/rollback") { request, context in
            try await self.rollback(request, name: try context.parameters.require("name"))
        }
        router.post("/v1/pipelines/:name/feedback") { request, context in
            try await self.feedback(request, name: try context.parameters.require("name"))
        }
        router.post("/v1/pipelines/:name/pause") { request, context in
            try await self.pause(request, name: try context.parameters.require("name"))
        }
        router.post("/v1/pipelines/:name/resume") { request, context in
            try await self.resume(request, name: try context.parameters.require("name"))
        }
        router.get("/v1/cycles") { request, _ in
            try self.authorizer.authorize(request, role: .read)
            return try await self.listCycles(request)
        }
        router.get("/v1/cycles/:id") { request, context in
            try self.authorizer.authorize(request, role: .read)
            return try await self.cycle(try context.parameters.require("id"))
        }
        router.get("/v1/cycles/:id/triggers") { request, context in
            try self.authorizer.authorize(request, role: .read)
            return try await self.triggerPage(request, id: try context.parameters.require("id"))
        }
        router.post("/v1/cycles/:id/cancel") { request, context in
            try await self.cancel(request, id: try context.parameters.require("id"))
        }
        router.post("/v1/cycles/:id/approve") { request, context in
            try await self.decide(request, id: try context.parameters.require("id"), approved: true)
        }
        router.post("/v1/cycles/:id/reject") { request, context in
            try await self.decide(request, id: try context.parameters.require("id"), approved: false)
        }
    }

    private func ready() async throws -> Response {
        do {
            _ = try await self.controller.history.cycles(pipeline: nil, limit: 1)
            return try JSONResponse.make(["status": "ready"])
        } catch {
            return try JSONResponse.make(["status": "store unavailable: \(error)"], status: .serviceUnavailable)
        }
    }

    private func requirePipeline(_ name: String) async throws -> PipelineDefinition {
        guard let pipeline = await self.controller.pipeline(named: name) else {
            let known = await self.controller.pipelines().map(\.name).joined(separator: ", ")
            throw APIError.notFound("no pipeline named `\(name)`; pipelines: \(known)", field: "pipeline")
        }
        return pipeline
    }

    private func summary(_ pipeline: PipelineDefinition) async throws -> PipelineSummary {
        let champion = try? await self.controller.services(for: pipeline.name)?.registry.champion(model: pipeline.model)
        let last = try await self.controller.history.cycles(pipeline: pipeline.name, limit: 1).first
        return PipelineSummary(
            name: pipeline.name, model: pipeline.model, trainer: pipeline.trainer.kind.rawValue, registry: pipeline.registry.kind.rawValue,
            cooldownSeconds: pipeline.cooldown.seconds, champion: champion ?? nil, lastCycle: last.map(CycleSummary.init),
            pause: try await self.controller.pause(of: pipeline.name))
    }

    private func listPipelines() async throws -> Response {
        var summaries: [PipelineSummary] = []
        for pipeline in await self.controller.pipelines() { summaries.append(try await self.summary(pipeline)) }
        return try JSONResponse.make(["pipelines": summaries])
    }

    private func pipeline(_ name: String) async throws -> Response {
        let pipeline = try await self.requirePipeline(name)
        let registry = await self.controller.services(for: name)?.registry
        let detail = PipelineDetail(
            pipeline: try await self.summary(pipeline), initialState: pipeline.initialState,
            states: pipeline.stateOrder.compactMap { pipeline.states[$0] }.map { state in
                StateView(
                    name: state.name, action: state.actionName, terminal: state.terminal, transitions: state.transitions.mapValues(\.target),
                    timeoutSeconds: state.timeout?.seconds)
            },
            previousChampion: (try? await registry?.previousChampion(model: pipeline.model)) ?? nil,
            versions: (try? await registry?.versions(model: pipeline.model)) ?? [],
            championHistory: try await self.controller.history.championHistory(model: pipeline.model),
            recentCycles: try await self.controller.history.cycles(pipeline: name, limit: 20).map(CycleSummary.init),
            mermaid: MermaidGraph.render(pipeline),
            monitoring: try await self.monitoringView(pipeline))
        return try JSONResponse.make(detail)
    }

    private func monitoringView(_ pipeline: PipelineDefinition) async throws -> MonitoringView? {
        guard let policy = pipeline.monitoring else { return nil }
        let snapshot = try await self.controller.history.monitorSnapshot(pipeline: pipeline.name)
        return MonitoringView(policy: policy, labelledThrough: snapshot?.throughSeq ?? 0)
    }

    private func accept(_ pipeline: String, _ trigger: Trigger) async throws -> Response {
        let acceptance = try await self.controller.submit(pipeline: pipeline, trigger: trigger)
        let body = TriggerAccepted(
            pipeline: pipeline, cycleId: acceptance.cycleId, triggerId: acceptance.triggerId, disposition: acceptance.disposition)
        return try JSONResponse.make(body, status: .accepted)
    }

    private func retrain(_ request: Request, name: String) async throws -> Response {
        let principal = try self.authorizer.authorize(request, role: .trigger)
        let body = try await self.bodies.decode(RetrainRequest.self, from: request, authenticated: principal != nil)
        _ = try await self.requirePipeline(name)
        let trigger = Trigger(
            kind: .manual, source: body.requestedBy ?? "api", reason: body.reason ?? "manual retrain", force: body.force ?? false,
            payload: ["reason": body.reason.map(JSONValue.string) ?? .null, "requested_by": body.requestedBy.map(JSONValue.string) ?? .null])
        return try await self.accept(name, trigger)
    }

    /// Production feedback: committed to the store before the 202; the pipeline's monitors consume it afterwards.
    private func feedback(_ request: Request, name: String) async throws -> Response {
        let principal = try self.authorizer.authorize(request, role: .trigger)
        _ = try await self.requirePipeline(name)
        let records = try FeedbackBatchDecoder.decode(try await self.bodies.data(request, authenticated: principal != nil))
        let result = try await self.controller.ingestFeedback(pipeline: name, records: records)
        return try JSONResponse.make(result, status: .accepted)
    }

    private func pause(_ request: Request, name: String) async throws -> Response {
        let principal = try self.authorizer.authorize(request, role: .approve)
        let body = try await self.bodies.decode(PauseRequest.self, from: request, authenticated: principal != nil)
        _ = try await self.requirePipeline(name)
        let (pause, changed) = try await self.controller.pause(
            pipeline: name, actor: Self.actor(claimed: body.actor, token: principal), reason: body.reason)
        return try JSONResponse.make(PauseResponse(pipeline: name, paused: true, changed: changed, pause: pause))
    }

    private func resume(_ request: Request, name: String) async throws -> Response {
        let principal = try self.authorizer.authorize(request, role: .approve)
        let body = try await self.bodies.decode(PauseRequest.self, from: request, authenticated: principal != nil)
        _ = try await self.requirePipeline(name)
        let changed = try await self.controller.resume(pipeline: name, actor: Self.actor(claimed: body.actor, token: principal))
        return try JSONResponse.make(PauseResponse(pipeline: name, paused: false, changed: changed, pause: nil))
    }

    private func rollback(_ request: Request, name: String) async throws -> Response {
        let principal = try self.authorizer.authorize(request, role: .approve)
        let body = try await self.bodies.decode(RollbackRequest.self, from: request, authenticated: principal != nil)
        _ = try await self.requirePipeline(name)
        do {
            let cycle = try await self.controller.rollback(
                pipeline: name, toVersion: body.toVersion, actor: Self.actor(claimed: body.actor, token: principal),
                reason: body.reason ?? "manual rollback",
                allowingAnyVersion: body.anyVersion ?? false)
            return try await self.cycleResponse(cycle.id)
        } catch let error as RegistryError {
            throw APIError(.conflict, code: "rollback_refused", message: error.message, field: body.toVersion == nil ? nil : "to_version")
        } catch let error as RollbackRefusal {
            throw APIError(.conflict, code: "rollback_refused", message: error.description, field: "to_version")
        }
    }

    private func listCycles(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let pipeline = query.get("pipeline")
        if let pipeline { _ = try await self.requirePipeline(pipeline) }
        var limit = 50
        if let text = query.get("limit") {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw APIError.badRequest("`limit` must be a whole number from 1 to 1000", field: "limit")
            }
            limit = value
        }
        let cycles = try await self.controller.history.cycles(pipeline: pipeline, limit: limit)
        return try JSONResponse.make(["cycles": cycles.map(CycleSummary.init)])
    }

    private func cycle(_ id: String) async throws -> Response {
        try await self.cycleResponse(id)
    }

    /// At most this many triggers are shown with a cycle; the rest are paged through `/v1/cycles/{id}/triggers`.
    static let triggersShown = 100

    private func cycleResponse(_ id: String) async throws -> Response {
        let history = self.controller.history
        guard let cycle = try await history.cycle(id: id) else { throw APIError.notFound("no cycle with id `\(id)`", field: "id") }
        let triggers = try await history.triggers(cycleId: id, after: Int64.min, limit: Self.triggersShown)
        let total = try await history.triggerCount(cycleId: id)
        let detail = CycleDetail(
            cycle: CycleSummary(cycle), decisions: cycle.decisions, handles: cycle.handles, cancelRequested: cycle.cancelRequested,
            transitions: try await history.transitions(cycleId: id).map(TransitionView.init),
            triggers: triggers.map(TriggerView.init), triggersTotal: total,
            moreTriggers: total > triggers.count ? "/v1/cycles/\(id)/triggers?after=\(triggers.last?.id ?? 0)&limit=\(Self.triggersShown)" : nil)
        return try JSONResponse.make(detail)
    }

    /// `GET /v1/cycles/{id}/triggers?after=ID&limit=N`: the cycle's triggers after trigger ID, oldest first.
    private func triggerPage(_ request: Request, id: String) async throws -> Response {
        let history = self.controller.history
        guard try await history.cycle(id: id) != nil else { throw APIError.notFound("no cycle with id `\(id)`", field: "id") }
        let query = request.uri.queryParameters
        var limit = Self.triggersShown
        if let text = query.get("limit") {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw APIError.badRequest("`limit` must be a whole number from 1 to 1000", field: "limit")
            }
            limit = value
        }
        var after = Int64.min
        if let text = query.get("after") {
            guard let value = Int64(text) else { throw APIError.badRequest("`after` must be a trigger id (a whole number)", field: "after") }
            after = value
        }
        let triggers = try await history.triggers(cycleId: id, after: after, limit: limit)
        let next = triggers.count == limit ? triggers.last.map { "/v1/cycles/\(id)/triggers?after=\($0.id)&limit=\(limit)" } : nil
        return try JSONResponse.make(TriggerPage(cycleId: id, triggers: triggers.map(TriggerView.init), next: next))
    }

    /// Who acted: the name the caller claims, beside the token it proved (`alice (token ops)`), so a free-text name
    /// cannot stand for the credential that was used.
    static func actor(claimed: String?, token: String?) -> String {
        switch (claimed?.trimmingCharacters(in: .whitespacesAndNewlines), token) {
        case (let claimed?, let token?) where !claimed.isEmpty && claimed != token: "\(claimed) (token \(token))"
        case (_, let token?): token
        case (let claimed?, nil) where !claimed.isEmpty: claimed
        default: "api"
        }
    }

    private func cancel(_ request: Request, id: String) async throws -> Response {
        let principal = try self.authorizer.authorize(request, role: .approve)
        _ = try await self.bodies.data(request, authenticated: principal != nil)
        do {
            switch try await self.controller.cancel(cycleId: id) {
            case .requested:
                return try JSONResponse.make(["cycle_id": id, "status": "cancel_requested"], status: .accepted)
            case .alreadyFinished(let outcome):
                throw APIError(
                    .conflict, code: "cycle_finished", message: "cycle \(id) already ended (\(outcome?.rawValue ?? "finished")); nothing to cancel",
                    field: "id")
            }
        } catch ControllerError.unknownCycle {
            throw APIError.notFound("no cycle with id `\(id)`", field: "id")
        }
    }

    private func decide(_ request: Request, id: String, approved: Bool) async throws -> Response {
        let principal = try self.authorizer.authorize(request, role: .approve)
        let body = try await self.bodies.decode(ApprovalRequest.self, from: request, authenticated: principal != nil)
        guard !body.approver.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError(.badRequest, code: "invalid_field", message: "`approver` must name who decides", field: "approver")
        }
        do {
            let decision = try await self.controller.decide(
                cycleId: id, approved: approved, approver: Self.actor(claimed: body.approver, token: principal), comment: body.comment)
            return try JSONResponse.make(["cycle_id": .string(id), "approval": try JSONValue.encoding(decision)] as JSONValue, status: .accepted)
        } catch Controller.ApprovalError.unknownCycle {
            throw APIError.notFound("no cycle with id `\(id)`", field: "id")
        } catch Controller.ApprovalError.notWaiting(let state, let status) {
            throw APIError(
                .conflict, code: "not_awaiting_approval", message: "cycle \(id) is \(status) in state `\(state)`, not waiting for approval",
                field: "id")
        } catch Controller.ApprovalError.alreadyDecided(let decision) {
            throw APIError(
                .conflict, code: "already_decided",
                message: "cycle \(id) was already \(decision.verdict.rawValue) by \(decision.approver)", field: "id")
        }
    }
}
