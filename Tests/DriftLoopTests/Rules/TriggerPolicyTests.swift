import Foundation
import Testing

@testable import DriftLoop

/// The rule that folds triggers into cycles, with no store: every disposition, and the order in which they win.
@Suite struct TriggerPolicyTests {
    static let now = Date(timeIntervalSince1970: 2_000_000_000)
    static let policy = TriggerPolicy(cooldown: .seconds(600))

    static func decide(_ facts: TriggerPolicy.Facts, force: Bool = false) -> TriggerPolicy.Decision {
        Self.policy.decide(Trigger(kind: .driftWebhook, dedupKey: "k", force: force), facts: facts, now: Self.now)
    }

    @Test func aSeenDedupKeyIsADuplicateWhateverElseHolds() {
        let finishedJustNow = (id: "c-last", at: Self.now)
        for facts in [
            TriggerPolicy.Facts(duplicateOf: "c-first"),
            TriggerPolicy.Facts(duplicateOf: "c-first", runningCycle: "c-running"),
            TriggerPolicy.Facts(duplicateOf: "c-first", lastFinished: finishedJustNow),
        ] {
            #expect(Self.decide(facts) == .duplicate(of: "c-first"))
            #expect(Self.decide(facts, force: true) == .duplicate(of: "c-first"), "forcing does not make an old event new")
        }
        #expect(Self.decide(TriggerPolicy.Facts(duplicateOf: "c")).disposition == .duplicate)
    }

    @Test func aRunningCycleTakesTheTriggerEvenWhenForced() {
        let facts = TriggerPolicy.Facts(runningCycle: "c-running", lastFinished: (id: "c-old", at: Self.now.addingTimeInterval(-5)))
        #expect(Self.decide(facts) == .joinRunning("c-running"))
        #expect(Self.decide(facts, force: true) == .joinRunning("c-running"), "one cycle at a time per pipeline")
        #expect(Self.decide(facts).disposition == .joinedRunning)
        #expect(Self.decide(facts).joinedCycle == "c-running")
    }

    @Test func insideTheCooldownTheLastCycleTakesItUnlessForced() {
        for ago in [0.0, 1, 599.999] {
            let facts = TriggerPolicy.Facts(lastFinished: (id: "c-last", at: Self.now.addingTimeInterval(-ago)))
            #expect(Self.decide(facts) == .joinCooldown("c-last"), "\(ago) s after it ended")
            #expect(Self.decide(facts, force: true) == .start)
        }
        #expect(Self.decide(TriggerPolicy.Facts(lastFinished: (id: "c-last", at: Self.now))).disposition == .joinedCooldown)
    }

    @Test func afterTheCooldownOrWithNoHistoryATriggerStartsACycle() {
        for ago in [600.0, 601, 86_400] {
            #expect(Self.decide(TriggerPolicy.Facts(lastFinished: (id: "c-last", at: Self.now.addingTimeInterval(-ago)))) == .start, "\(ago) s")
        }
        #expect(Self.decide(TriggerPolicy.Facts()) == .start)
        #expect(Self.decide(TriggerPolicy.Facts()).disposition == .started)
        #expect(Self.decide(TriggerPolicy.Facts()).joinedCycle == nil)
        #expect(
            TriggerPolicy(cooldown: .zero).decide(Trigger(kind: .manual), facts: .init(lastFinished: (id: "c", at: Self.now)), now: Self.now)
                == .start)
    }

    @Test func theCooldownWindowStartsCooldownBeforeNow() {
        #expect(Self.policy.cooldownStart(now: Self.now) == Self.now.addingTimeInterval(-600))
    }
}
