import DriftLoop

/// A trainer whose every call is counted and timed in `/metrics` (`driftloop_trainer_requests_total`).
struct InstrumentedTrainer: Trainer {
    let base: any Trainer
    let meter: CallMeter

    func start(_ request: TrainingRequest, idempotencyKey: String) async throws -> String {
        try await self.meter.measure("start") { try await self.base.start(request, idempotencyKey: idempotencyKey) }
    }

    func status(jobId: String) async throws -> TrainingJobStatus {
        try await self.meter.measure("status") { try await self.base.status(jobId: jobId) }
    }

    func start(_ request: TrainingRequest, idempotencyKey: String, handles: inout TrainingHandles) async throws -> String {
        var copy = handles
        defer { handles = copy }
        return try await self.meter.measure("start") { try await self.base.start(request, idempotencyKey: idempotencyKey, handles: &copy) }
    }

    func status(jobId: String, handles: inout TrainingHandles) async throws -> TrainingJobStatus {
        var copy = handles
        defer { handles = copy }
        return try await self.meter.measure("status") { try await self.base.status(jobId: jobId, handles: &copy) }
    }

    func abort(jobId: String, handles: TrainingHandles) async throws -> Bool {
        try await self.meter.measure("abort") { try await self.base.abort(jobId: jobId, handles: handles) }
    }
}
