/// Counts and times the calls one pipeline makes to one outside system (`driftloop_<kind>_requests_total` and
/// `driftloop_<kind>_request_duration_seconds`), for the instrumented trainer and registry.
struct CallMeter: Sendable {
    let metrics: DriftLoopMetrics
    let pipeline: String
    /// `trainer` or `registry`: the metric's name and the label naming the system.
    let kind: String
    /// The system's label value (`jenkins`, `mlflow`, ...).
    let system: String

    func measure<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        do {
            let value = try await body()
            self.metrics.outsideRequest(
                pipeline: self.pipeline, system: self.system, kind: self.kind, operation: operation, succeeded: true,
                duration: ContinuousClock.now - start)
            return value
        } catch {
            self.metrics.outsideRequest(
                pipeline: self.pipeline, system: self.system, kind: self.kind, operation: operation, succeeded: false,
                duration: ContinuousClock.now - start)
            throw error
        }
    }
}
