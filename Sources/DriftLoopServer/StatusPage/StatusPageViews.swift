import DriftLoop
import DriftStats
import Foundation

// What the status page templates render: strings, flags and arrays, already formatted. A value shown only when
// present is an optional (Mustache treats an empty string as present). Field names are unique across a page,
// because Mustache looks a name missing here up in the enclosing sections.

/// `GET /`: every pipeline, then the latest cycles of all of them.
struct OverviewPage {
    var pageTitle = "driftloop status"
    /// Seconds between reloads; nil for a page that does not change.
    var refreshSeconds: Int?
    var renderedAt: String
    var pipelineCount: Int
    var pipelines: [PipelineRow]
    var recentCycles: [CycleRow]
}

struct PipelineRow {
    var pipelineName: String
    var model: String
    var trainerKind: String
    var registryKind: String
    var champion: ChampionCell?
    var lastCycle: CycleRow?
    var currentDrift: DriftSummary?
}

/// The champion version, and the change that made it champion when the store has it.
struct ChampionCell {
    var championVersion: String
    var championSince: String?
    var championSinceAgo: String
    var championChange: String

    init(version: String, change: ChampionChange?, now: Date) {
        self.championVersion = version
        guard let change, change.version == version else {
            (self.championSince, self.championSinceAgo, self.championChange) = (nil, "", "")
            return
        }
        self.championSince = StatusFormat.time(change.at)
        self.championSinceAgo = StatusFormat.ago(change.at, now: now)
        switch change.kind {
        case .promotion: self.championChange = "promoted"
        case .rollback: self.championChange = "rolled back by \(change.actor)"
        }
    }
}

/// A cycle in one row: listed on `/`, and the header of its own page.
struct CycleRow {
    var cycleId: String
    var cyclePipeline: String
    var triggerKind: String
    var cycleReason: String?
    var stateName: String
    var statusText: String
    var outcomeText: String
    /// The CSS class giving the outcome its colour.
    var outcomeClass: String
    var createdText: String
    var createdClock: String
    var createdDay: String
    var createdAgo: String
    var finishedText: String?
    var durationText: String
    var failureText: String?

    init(_ cycle: CycleRecord, now: Date) {
        self.cycleId = cycle.id
        self.cyclePipeline = cycle.pipeline
        self.triggerKind = cycle.kind.rawValue
        self.cycleReason = cycle.reason.flatMap { $0.isEmpty ? nil : $0 }
        self.stateName = cycle.state
        self.statusText = cycle.status.rawValue
        self.outcomeText = cycle.outcome?.rawValue ?? (cycle.cancelRequested ? "cancelling" : "running")
        self.outcomeClass = Self.outcomeClass(cycle.outcome)
        self.createdText = StatusFormat.time(cycle.createdAt)
        self.createdClock = StatusFormat.clock(cycle.createdAt)
        self.createdDay = StatusFormat.day(cycle.createdAt)
        self.createdAgo = StatusFormat.ago(cycle.createdAt, now: now)
        // The time of day when the cycle finished the day it started, as nearly all do.
        let startDay = self.createdDay
        self.finishedText = cycle.finishedAt.map { StatusFormat.day($0) == startDay ? StatusFormat.clock($0) : StatusFormat.time($0) }
        let end = cycle.finishedAt ?? (cycle.status == .running ? now : cycle.updatedAt)
        self.durationText = StatusFormat.duration(end.timeIntervalSince(cycle.createdAt)) + (cycle.status == .running ? " so far" : "")
        self.failureText = cycle.failure
    }

    static func outcomeClass(_ outcome: CycleOutcome?) -> String {
        switch outcome {
        case nil: "running"
        case .promoted: "good"
        case .rejected: "warn"
        case .noDrift: "calm"
        case .failed: "bad"
        case .cancelled: "muted"
        case .rolledBack: "back"
        }
    }
}

/// A drift check in a few figures: its verdict, how many columns drifted, which, and where it comes from.
struct DriftSummary {
    var driftBadge: String
    var driftClass: String
    var driftedCount: String
    var columnCount: String
    var shareText: String
    var shareThresholdText: String
    var driftedNames: String?
    var driftSource: String
    /// The cycle that ran the check; nil for a scheduled check.
    var driftCycleId: String?
    var driftAt: String
    var driftAgo: String

    init(report: DriftReport, cycleId: String?, at: Date, now: Date) {
        let flag = report.datasetDrift
        let columns = report.features.columns
        let drifted = columns.filter(\.drifted).map(\.column)
        self.driftBadge = flag ? "drift" : "no drift"
        self.driftClass = flag ? "bad" : "good"
        self.driftedCount = String(report.driftedColumns)
        self.columnCount = String(columns.count)
        self.shareText = StatusFormat.number(report.share)
        self.shareThresholdText = StatusFormat.number(report.features.shareThreshold)
        let shown = drifted.prefix(4).joined(separator: ", ")
        self.driftedNames = drifted.isEmpty ? nil : (drifted.count > 4 ? "\(shown) +\(drifted.count - 4) more" : shown)
        self.driftSource = cycleId == nil ? "scheduled check" : "cycle"
        self.driftCycleId = cycleId
        self.driftAt = StatusFormat.time(at)
        self.driftAgo = StatusFormat.ago(at, now: now)
    }
}

/// `GET /cycles/{id}`.
struct CyclePage {
    var pageTitle: String
    /// Set while the cycle runs, so the page follows it; a finished cycle does not change.
    var refreshSeconds: Int?
    var renderedAt: String
    var cycle: CycleRow
    var model: String
    /// What the cycle did to the registry, in words, when it got that far.
    var resultText: String?
    var approvalText: String?
    var transitions: [TransitionRow]
    var drift: DriftTable?
    var comparison: ComparisonTable?
    /// The first `APIRoutes.triggersShown` triggers.
    var triggers: [TriggerRow]
    var triggersTotal: Int
    /// "and N more", when there are more than shown (the API pages through them).
    var moreTriggersText: String?
}

struct TransitionRow {
    var fromState: String
    var toState: String
    var transitionOutcome: String
    var transitionAt: String
    var sinceStart: String
    var detailsText: String

    init(_ record: TransitionRecord, start: Date) {
        self.fromState = record.from ?? "—"
        self.toState = record.to
        self.transitionOutcome = record.outcome
        self.transitionAt = StatusFormat.time(record.at)
        self.sinceStart = "+" + StatusFormat.duration(record.at.timeIntervalSince(start))
        self.detailsText = StatusFormat.details(record.details)
    }
}

/// The cycle's drift check: its summary, then one row per feature column and per prediction column.
struct DriftTable {
    var summary: DriftSummary
    var referenceRows: String
    var currentRows: String
    var driftRows: [DriftRow]

    init(report: DriftReport, cycleId: String, at: Date, now: Date) {
        self.summary = DriftSummary(report: report, cycleId: cycleId, at: at, now: now)
        self.referenceRows = String(report.features.referenceRows)
        self.currentRows = String(report.features.currentRows)
        let features = report.features.columns.map { DriftRow($0, prediction: false) }
        let prediction = (report.prediction?.columns ?? []).map { DriftRow($0, prediction: true) }
        self.driftRows = features + prediction
    }
}

struct DriftRow {
    var columnName: String
    var columnType: String
    var isPrediction: Bool
    var method: String
    var scoreText: String
    var thresholdText: String
    var drifted: Bool
    var columnNote: String?

    init(_ column: DataDriftReport.Column, prediction: Bool) {
        self.columnName = column.column
        self.columnType = column.columnType.rawValue
        self.isPrediction = prediction
        self.method = column.stattest
        self.scoreText = StatusFormat.number(column.score)
        self.thresholdText = StatusFormat.number(column.threshold)
        self.drifted = column.drifted
        self.columnNote = column.error
    }
}

/// Champion against challenger on the shared holdout, rule by rule (`decisions.evaluation`).
struct ComparisonTable {
    var verdictText: String
    var verdictClass: String
    var comparisonRows: [ComparisonRow]

    init(evaluation: EvaluationVerdict) {
        self.verdictText = evaluation.isBetter ? "challenger is better" : "challenger is not better"
        self.verdictClass = evaluation.isBetter ? "good" : "warn"
        self.comparisonRows = evaluation.rules.map(ComparisonRow.init)
    }
}

struct ComparisonRow {
    var metricName: String
    var ruleKind: String
    var directionText: String
    var championValue: String
    var challengerValue: String
    var requirement: String
    var passed: Bool
    var explanation: String

    init(_ rule: RuleVerdict) {
        self.metricName = rule.metric
        self.ruleKind = rule.kind
        self.directionText = "\(rule.direction.rawValue) is better"
        self.championValue = StatusFormat.number(rule.champion)
        self.challengerValue = StatusFormat.number(rule.challenger)
        self.requirement = rule.requirement
        self.passed = rule.passed
        self.explanation = rule.explanation
    }
}

struct TriggerRow {
    var triggerId: String
    var kindOfTrigger: String
    var triggerSource: String
    var triggerReason: String?
    var disposition: String
    var receivedAt: String

    init(_ record: TriggerRecord) {
        self.triggerId = String(record.id)
        self.kindOfTrigger = record.trigger.kind.rawValue
        self.triggerSource = record.trigger.source ?? ""
        self.triggerReason = record.trigger.reason
        self.disposition = record.disposition.rawValue
        self.receivedAt = StatusFormat.time(record.receivedAt)
    }
}

/// The page for a cycle id the store does not have (served with 404).
struct NotFoundPage {
    var pageTitle = "not found"
    var refreshSeconds: Int? = nil
    var renderedAt: String
    var missingWhat: String
}
