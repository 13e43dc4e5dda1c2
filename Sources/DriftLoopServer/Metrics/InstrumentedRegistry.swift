import DriftLoop

/// A registry whose every call is counted and timed in `/metrics` (`driftloop_registry_requests_total`).
struct InstrumentedRegistry: ModelRegistry {
    let base: any ModelRegistry
    let meter: CallMeter

    func champion(model: String) async throws -> ModelVersion? {
        try await self.meter.measure("champion") { try await self.base.champion(model: model) }
    }

    func previousChampion(model: String) async throws -> ModelVersion? {
        try await self.meter.measure("previous_champion") { try await self.base.previousChampion(model: model) }
    }

    func versions(model: String) async throws -> [ModelVersion] {
        try await self.meter.measure("versions") { try await self.base.versions(model: model) }
    }

    func registerChallenger(model: String, sourceURI: String, cycleId: String, pipeline: String, metrics: [String: Double]) async throws
        -> ModelVersion
    {
        try await self.meter.measure("register") {
            try await self.base.registerChallenger(model: model, sourceURI: sourceURI, cycleId: cycleId, pipeline: pipeline, metrics: metrics)
        }
    }

    func promote(model: String, version: String) async throws -> PromotionResult {
        try await self.meter.measure("promote") { try await self.base.promote(model: model, version: version) }
    }

    func reject(model: String, version: String, reason: String) async throws {
        try await self.meter.measure("reject") { try await self.base.reject(model: model, version: version, reason: reason) }
    }

    func rollback(model: String, to version: String?) async throws -> (from: ModelVersion, to: ModelVersion) {
        try await self.meter.measure("rollback") { try await self.base.rollback(model: model, to: version) }
    }

    func setTag(model: String, version: String, key: String, value: String) async throws {
        try await self.meter.measure("set_tag") { try await self.base.setTag(model: model, version: version, key: key, value: value) }
    }

    func recordDecisions(model: String, version: String, cycleId: String, verdict: String, decisions: [String: JSONValue]) async throws {
        try await self.meter.measure("record_decisions") {
            try await self.base.recordDecisions(model: model, version: version, cycleId: cycleId, verdict: verdict, decisions: decisions)
        }
    }
}
