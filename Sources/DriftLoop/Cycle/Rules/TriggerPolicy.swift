import Foundation

/// The one rule that folds triggers into cycles. A pure value: the store reads the facts, under the pipeline's
/// lock and inside the transaction that will record the answer, and writes what the decision says.
///
/// In order: a trigger whose dedup key was seen before is a duplicate of that trigger's cycle; a pipeline with a
/// running cycle folds the trigger into it (one cycle at a time); inside the cooldown after a cycle ended the trigger
/// joins that cycle, unless it forces a new one; otherwise it starts a cycle. Rollbacks are recorded as cycles too but
/// never take part: they are neither "running" nor "the last cycle" here.
///
/// How many cycles may run at once across pipelines (`max_concurrent_cycles`) is not a disposition: a started cycle
/// waits for a slot in its first state (`CycleSlots`).
package struct TriggerPolicy: Sendable, Equatable {
    /// After a cycle ends, triggers within this time join it instead of starting another.
    package var cooldown: Duration

    package init(cooldown: Duration) {
        self.cooldown = cooldown
    }

    /// What the store knows about the pipeline when the trigger arrives.
    package struct Facts: Sendable, Equatable {
        /// The cycle of the first trigger accepted with the same dedup key, if any.
        package var duplicateOf: String?
        /// The pipeline's running cycle (rollbacks aside), if any.
        package var runningCycle: String?
        /// The pipeline's most recently finished cycle (rollbacks aside) and when it finished.
        package var lastFinished: (id: String, at: Date)?

        package init(duplicateOf: String? = nil, runningCycle: String? = nil, lastFinished: (id: String, at: Date)? = nil) {
            self.duplicateOf = duplicateOf
            self.runningCycle = runningCycle
            self.lastFinished = lastFinished
        }

        package static func == (lhs: Facts, rhs: Facts) -> Bool {
            lhs.duplicateOf == rhs.duplicateOf && lhs.runningCycle == rhs.runningCycle && lhs.lastFinished?.id == rhs.lastFinished?.id
                && lhs.lastFinished?.at == rhs.lastFinished?.at
        }
    }

    /// What to do with the trigger.
    package enum Decision: Sendable, Equatable {
        case duplicate(of: String)
        case joinRunning(String)
        case joinCooldown(String)
        case start

        /// The disposition recorded with the trigger.
        package var disposition: TriggerDisposition {
            switch self {
            case .duplicate: .duplicate
            case .joinRunning: .joinedRunning
            case .joinCooldown: .joinedCooldown
            case .start: .started
            }
        }

        /// The existing cycle the trigger joins, when it joins one.
        package var joinedCycle: String? {
            switch self {
            case .duplicate(let cycle), .joinRunning(let cycle), .joinCooldown(let cycle): cycle
            case .start: nil
            }
        }
    }

    package func decide(_ trigger: Trigger, facts: Facts, now: Date) -> Decision {
        if let first = facts.duplicateOf { return .duplicate(of: first) }
        if let running = facts.runningCycle { return .joinRunning(running) }
        if !trigger.force, let last = facts.lastFinished, last.at > now.addingTimeInterval(-self.cooldown.seconds) {
            return .joinCooldown(last.id)
        }
        return .start
    }

    /// The finished cycles the cooldown looks at end after this time; a store need not read older ones.
    package func cooldownStart(now: Date) -> Date { now.addingTimeInterval(-self.cooldown.seconds) }
}
