import DriftLoop
import DriftStats
import Foundation
import Prometheus

/// Everything `/metrics` shows, under the `driftloop_` prefix. Counters and histograms are fed by controller
/// events as they happen; gauges about the present (active cycles, champion versions) are read from the store
/// when Prometheus scrapes, so they are right after a restart too.
final class DriftLoopMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let history: CycleHistory
    /// Pipeline name -> (model, initial state, detect states), fixed at start.
    private let pipelines: [String: PipelineDefinition]

    static let durationBuckets: [Duration] = [0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600].map { .milliseconds(Int64($0 * 1000)) }
    static let requestBuckets: [Duration] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10].map { .milliseconds(Int64($0 * 1000)) }

    init(history: CycleHistory, pipelines: [PipelineDefinition]) {
        self.history = history
        self.pipelines = Dictionary(uniqueKeysWithValues: pipelines.map { ($0.name, $0) })
        self.registry.makeGauge(
            descriptor: Self.name("build_info", help: "driftloop's version; always 1."), labels: [("version", DriftLoopVersion.current)]
        ).set(to: 1)
        // swift-prometheus copies a family's series on every addition, so declaring all of them costs the square of
        // their number (14 s for 1,000 pipelines): past this many pipelines, series appear on first use instead.
        if pipelines.count <= Self.eagerSeriesPipelineLimit {
            for pipeline in pipelines { self.declareSeries(pipeline) }
        }
    }

    static let eagerSeriesPipelineLimit = 200

    /// Creates at 0 the series a pipeline will have: Prometheus' rate() and increase() need a sample before the
    /// first event, or the first cycle, failure or promotion would not show in alerts and dashboards.
    private func declareSeries(_ pipeline: PipelineDefinition) {
        let name = pipeline.name
        let triggers = TriggerKind.allCases.filter { $0 != .rollback }
        let outcomes = Set(pipeline.states.values.compactMap(\.terminal)).sorted { $0.rawValue < $1.rawValue }
        for trigger in triggers {
            _ = self.registry.makeCounter(descriptor: Self.started, labels: [("pipeline", name), ("trigger", trigger.rawValue)])
            for outcome in outcomes {
                _ = self.registry.makeCounter(
                    descriptor: Self.finished, labels: [("pipeline", name), ("trigger", trigger.rawValue), ("outcome", outcome.rawValue)])
            }
        }
        for outcome in outcomes {
            _ = self.registry.makeDurationHistogram(
                descriptor: Self.cycleDuration, labels: [("pipeline", name), ("outcome", outcome.rawValue)], buckets: Self.durationBuckets)
        }
        for state in pipeline.stateOrder where pipeline.states[state]?.action != nil {
            _ = self.registry.makeDurationHistogram(
                descriptor: Self.stateDuration, labels: [("pipeline", name), ("state", state)], buckets: Self.durationBuckets)
        }
        let calls = [
            ("trainer", pipeline.trainer.kind.rawValue, ["start", "status"]),
            ("registry", pipeline.registry.kind.rawValue, ["champion", "register", "promote", "reject"]),
        ]
        for (kind, system, operations) in calls {
            for operation in operations {
                for result in ["ok", "error"] {
                    _ = self.registry.makeCounter(
                        descriptor: Self.requests(kind), labels: [("pipeline", name), (kind, system), ("operation", operation), ("result", result)])
                }
                _ = self.registry.makeDurationHistogram(
                    descriptor: Self.requestDuration(kind), labels: [("pipeline", name), (kind, system), ("operation", operation)],
                    buckets: Self.requestBuckets)
            }
        }
        for detector in pipeline.monitoring?.detectors.map(\.name) ?? [] {
            _ = self.registry.makeCounter(descriptor: Self.detectorFirings, labels: [("pipeline", name), ("detector", detector)])
        }
        for rule in pipeline.monitoring?.decay ?? [] {
            _ = self.registry.makeCounter(descriptor: Self.detectorFirings, labels: [("pipeline", name), ("detector", "decay:\(rule.metric)")])
        }
    }

    static func requests(_ kind: String) -> MetricNameDescriptor { name("\(kind)_requests", unit: "total", help: "Calls to the \(kind), by result.") }
    static func requestDuration(_ kind: String) -> MetricNameDescriptor {
        name("\(kind)_request_duration", unit: "seconds", help: "Latency of calls to the \(kind).")
    }

    static func name(_ metric: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "driftloop", metricName: metric, unitName: unit, helpText: help)
    }

    static var started: MetricNameDescriptor { name("cycles_started", unit: "total", help: "Cycles started, by pipeline and trigger.") }
    static var finished: MetricNameDescriptor { name("cycles_finished", unit: "total", help: "Cycles finished, by pipeline, trigger and outcome.") }
    static var cycleDuration: MetricNameDescriptor { name("cycle_duration", unit: "seconds", help: "Time from a cycle's trigger to its end.") }
    static var stateDuration: MetricNameDescriptor { name("state_duration", unit: "seconds", help: "Time spent in each state, retries included.") }
    static var triggers: MetricNameDescriptor {
        name("triggers", unit: "total", help: "Triggers accepted, by pipeline, kind and what the store decided.")
    }
    static var detectorFirings: MetricNameDescriptor {
        name("detector_firings", unit: "total", help: "Stream detectors and decay rules that fired on production feedback.")
    }
    static var webhooks: MetricNameDescriptor { name("webhooks", unit: "total", help: "Webhook events received, by source and result.") }
    static var httpDuration: MetricNameDescriptor {
        name("http_request_duration", unit: "seconds", help: "API request latency, by method, route and status.")
    }

    // MARK: Events

    func triggerAccepted(pipeline: String, trigger: Trigger, acceptance: TriggerAcceptance) {
        self.registry.makeCounter(
            descriptor: Self.triggers,
            labels: [("pipeline", pipeline), ("kind", trigger.kind.rawValue), ("disposition", acceptance.disposition.rawValue)]
        ).increment()
        if acceptance.disposition == .started {
            self.registry.makeCounter(descriptor: Self.started, labels: [("pipeline", pipeline), ("trigger", trigger.kind.rawValue)]).increment()
        }
        if trigger.kind == .conceptDrift || trigger.kind == .performanceDecay, acceptance.disposition != .duplicate {
            let detector =
                trigger.payload["detector"]?.stringValue ?? trigger.payload["metric"].flatMap { $0.stringValue.map { "decay:\($0)" } }
                ?? trigger.kind.rawValue
            self.registry.makeCounter(descriptor: Self.detectorFirings, labels: [("pipeline", pipeline), ("detector", detector)]).increment()
        }
    }

    /// A committed transition: state durations, finished cycles and the drift figures of a detect state.
    func transition(cycleId: String, from: String, to: String, outcome: String) async {
        guard !from.isEmpty, let cycle = try? await self.history.cycle(id: cycleId), let pipeline = self.pipelines[cycle.pipeline] else { return }
        let transitions = (try? await self.history.transitions(cycleId: cycleId)) ?? []
        if transitions.count >= 2 {
            let last = transitions[transitions.count - 1], previous = transitions[transitions.count - 2]
            self.registry.makeDurationHistogram(
                descriptor: Self.stateDuration, labels: [("pipeline", pipeline.name), ("state", from)], buckets: Self.durationBuckets
            )
            .record(.milliseconds(Int64(max(0, last.at.timeIntervalSince(previous.at)) * 1000)))
        }
        if pipeline.states[from]?.action == .detectDrift, let drift = cycle.decision(DriftReport.self) {
            self.recordDrift(pipeline: pipeline.name, drift)
        }
        if let terminal = pipeline.states[to]?.terminal {
            let trigger = cycle.kind.rawValue
            self.registry.makeCounter(
                descriptor: Self.finished, labels: [("pipeline", pipeline.name), ("trigger", trigger), ("outcome", terminal.rawValue)]
            ).increment()
            let end = cycle.finishedAt ?? Date()
            self.registry.makeDurationHistogram(
                descriptor: Self.cycleDuration, labels: [("pipeline", pipeline.name), ("outcome", terminal.rawValue)], buckets: Self.durationBuckets
            )
            .record(.milliseconds(Int64(max(0, end.timeIntervalSince(cycle.createdAt)) * 1000)))
        }
    }

    /// The usual drift-exporter gauges (`ml_dataset_drift`, `ml_drifted_columns`, `ml_share_drifted`) and a score per feature.
    func recordDrift(pipeline: String, _ drift: DriftReport) {
        self.registry.makeGauge(
            descriptor: Self.name("dataset_drift", help: "1 when the last drift check found dataset drift."), labels: [("pipeline", pipeline)]
        )
        .set(to: drift.datasetDrift ? 1 : 0)
        self.registry.makeGauge(
            descriptor: Self.name("drifted_columns", help: "Columns that drifted in the last drift check."), labels: [("pipeline", pipeline)]
        )
        .set(to: Double(drift.driftedColumns))
        self.registry.makeGauge(
            descriptor: Self.name("share_drifted", help: "Share of columns that drifted in the last drift check."), labels: [("pipeline", pipeline)]
        )
        .set(to: drift.share)
        for column in drift.features.columns {
            if let score = column.score, score.isFinite {
                self.registry.makeGauge(
                    descriptor: Self.name(
                        "feature_drift_score", help: "Each feature's drift score (p-value or distance, see stattest) in the last check."),
                    labels: [("pipeline", pipeline), ("feature", column.column), ("stattest", column.stattest)]
                ).set(to: score)
            }
            self.registry.makeGauge(
                descriptor: Self.name("feature_drifted", help: "1 when the feature drifted in the last check."),
                labels: [("pipeline", pipeline), ("feature", column.column)]
            )
            .set(to: column.drifted ? 1 : 0)
        }
    }

    func outsideRequest(pipeline: String, system: String, kind: String, operation: String, succeeded: Bool, duration: Duration) {
        let result = succeeded ? "ok" : "error"
        self.registry.makeCounter(
            descriptor: Self.requests(kind), labels: [("pipeline", pipeline), (kind, system), ("operation", operation), ("result", result)]
        ).increment()
        self.registry.makeDurationHistogram(
            descriptor: Self.requestDuration(kind), labels: [("pipeline", pipeline), (kind, system), ("operation", operation)],
            buckets: Self.requestBuckets
        )
        .record(duration)
    }

    func webhook(source: String, result: String, count: Int = 1) {
        self.registry.makeCounter(descriptor: Self.webhooks, labels: [("source", source), ("result", result)]).increment(by: Int64(count))
    }

    func httpRequest(method: String, route: String, status: Int, duration: Duration) {
        self.registry.makeDurationHistogram(
            descriptor: Self.httpDuration, labels: [("method", method), ("route", route), ("status", String(status))], buckets: Self.requestBuckets
        )
        .record(duration)
    }

    // MARK: Scrape

    /// The exposition text, after refreshing what is read from the store.
    func exposition() async -> String {
        let running = (try? await self.history.runningCycles()) ?? []
        let now = Date()
        for pipeline in self.pipelines.values {
            let active = running.filter { $0.pipeline == pipeline.name && $0.kind != .rollback }
            self.registry.makeGauge(descriptor: Self.name("active_cycles", help: "Cycles running now."), labels: [("pipeline", pipeline.name)]).set(
                to: Double(active.count))
            self.registry.makeGauge(
                descriptor: Self.name("active_cycle_age", unit: "seconds", help: "Age of the running cycle; 0 when none runs."),
                labels: [("pipeline", pipeline.name)]
            )
            .set(to: active.map { now.timeIntervalSince($0.createdAt) }.max() ?? 0)
            // 0 until the first champion, so the first promotion is a change too.
            let last = try? await self.history.championHistory(model: pipeline.model).last
            self.registry.makeGauge(
                descriptor: Self.name("champion_version", help: "The champion's version number (0 before the first), by pipeline and model."),
                labels: [("pipeline", pipeline.name), ("model", pipeline.model)]
            )
            .set(to: last.flatMap { Double($0.version) } ?? 0)
        }
        return self.registry.emitToString()
    }
}
