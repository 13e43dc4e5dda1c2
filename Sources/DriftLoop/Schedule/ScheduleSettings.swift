import Foundation

/// When a pipeline checks its data for drift by itself (`schedule:` in the pipeline).
package struct ScheduleSettings: Sendable {
    package enum Timing: Sendable {
        case every(Duration)
        case cron(CronExpression)
    }

    /// What a scheduled check does when it finds dataset drift.
    package enum OnDrift: String, Sendable {
        /// Start a cycle of kind `schedule` (it joins a running one, or the cooldown's, like any trigger).
        case cycle
        /// Only publish the figures (`/metrics`), leaving the decision to alert rules (Prometheus -> Alertmanager).
        case publish
    }

    package var timing: Timing
    package var onDrift: OnDrift

    /// The next time the check runs after `date`.
    package func next(after date: Date) -> Date? {
        switch self.timing {
        case .every(let interval): date.addingTimeInterval(interval.seconds)
        case .cron(let expression): expression.next(after: date)
        }
    }
}

enum ScheduleSettingsReader {
    static func read(_ node: YAMLNode, reader: inout YAMLReader) -> ScheduleSettings? {
        guard !node.isMissing else { return nil }
        guard reader.requireMapping(node, example: "schedule: {every: 1h, on_drift: cycle}") else { return nil }
        reader.rejectUnknownKeys(node, allowed: ["every", "cron", "on_drift"])
        let everyNode = node.child("every"), cronNode = node.child("cron")
        var timing: ScheduleSettings.Timing?
        if !everyNode.isMissing, !cronNode.isMissing {
            reader.fail(node, "`schedule` takes either `every: DURATION` or `cron: \"EXPRESSION\"`, not both")
        } else if let every = reader.duration(everyNode, default: nil) {
            if every < .milliseconds(100) {
                reader.fail(everyNode, "`schedule.every` must be at least 100ms, for example `every: 10m`")
            } else {
                timing = .every(every)
            }
        } else if let text = reader.string(cronNode) {
            do {
                timing = .cron(try CronExpression(text))
            } catch {
                reader.fail(cronNode, "`schedule.cron`: \(error)")
            }
        } else if everyNode.isMissing, cronNode.isMissing {
            reader.fail(node, "`schedule` needs `every: DURATION` (for example `every: 1h`) or `cron: \"0 * * * *\"`")
        }
        let onDriftNode = node.child("on_drift")
        let onDriftText = reader.string(onDriftNode, default: "cycle") ?? "cycle"
        let onDrift = ScheduleSettings.OnDrift(rawValue: onDriftText)
        if onDrift == nil { reader.fail(onDriftNode, "`schedule.on_drift` must be `cycle` or `publish`, got `\(onDriftText)`") }
        guard let timing else { return nil }
        return ScheduleSettings(timing: timing, onDrift: onDrift ?? .cycle)
    }
}
