import Foundation
import Testing

@testable import DriftLoop

/// The typed decisions read what stores already hold and write it back in the same shape: a record written before
/// decisions were typed reads the same, and the API answers the same JSON.
@Suite struct CycleDecisionTests {
    /// Each decision as the untyped code wrote it, before the decisions became types.
    static let storedShapes: [(any CycleDecision.Type, String)] = [
        (TriggerDecision.self, #"{"kind":"drift_webhook","source":"evidently","reason":"share 0.5","evidence":{"share":0.5}}"#),
        (TriggerDecision.self, #"{"kind":"manual"}"#),
        (
            DriftReport.self,
            #"{"columns":[{"column":"age","column_type":"num","stattest":"ks","score":0.001,"threshold":0.05,"drifted":true,"n_reference":10,"n_current":12}],"drifted_columns":1,"share":1,"share_threshold":0.5,"dataset_drift":true,"n_reference":10,"n_current":12,"prediction":{"columns":[],"drifted_columns":0,"share":0,"share_threshold":0.5,"dataset_drift":false,"n_reference":10,"n_current":12}}"#
        ),
        (
            TrainingJobStatus.self,
            #"{"job":"job-1","status":"succeeded","metrics":{"challenger":{"auc":0.9},"champion":{"auc":0.8}},"model_uri":"file:///m","holdout_rows":40}"#
        ),
        (
            EvaluationVerdict.self,
            #"{"is_better":true,"summary":"passes","rules":[{"kind":"primary","metric":"auc","direction":"higher","champion":0.8,"challenger":0.9,"requirement":"improve by >= 0.01","passed":true,"explanation":"auc 0.9 vs 0.8"}]}"#
        ),
        (PromotionResult.self, #"{"version":"2","previous_version":"1","was_already_champion":false}"#),
        (RejectionDecision.self, #"{"version":"3","reason":"challenger fails 1 of 1 rule(s)"}"#),
        (ApprovalDecision.self, #"{"verdict":"approved","approver":"alice (token ops)","comment":null,"at":"2026-12-07T06:00:00Z"}"#),
        (ApprovalDecision.self, #"{"verdict":"rejected","approver":"bob","comment":"not on a Friday","at":"2026-12-07T06:00:00Z"}"#),
        (
            ObservationDecision.self,
            #"{"verdict":"healthy","window":"30m","checks":3,"last":[{"rule":"errors","query":"rate(x[5m])","value":0.01,"threshold":0.2,"comparison":"above","tripped":false,"explanation":"errors = 0.01 is not above 0.2"}]}"#
        ),
        (
            ObservationDecision.self,
            #"{"verdict":"rolled_back","to_version":"1","reason":"observe: errors = 0.45 is above 0.2","checks":[{"rule":"errors","query":"rate(x[5m])","value":0.45,"threshold":0.2,"comparison":"above","tripped":true,"explanation":"errors = 0.45 is above 0.2"}]}"#
        ),
        (RollbackDecision.self, #"{"from_version":"2","to_version":"1","actor":"alice","reason":null,"any_version":false}"#),
    ]

    @Test func everyStoredShapeReadsAndWritesBackUnchanged() throws {
        for (type, text) in Self.storedShapes {
            let stored = try #require(JSONValue.parse(text))
            let written = try Self.roundTrip(type, stored)
            #expect(written == stored, "\(type): \(written.jsonText)")
        }
    }

    private static func roundTrip<D: CycleDecision>(_ type: D.Type, _ stored: JSONValue) throws -> JSONValue {
        let decisions: [String: JSONValue] = [D.key.rawValue: stored]
        let decision = try #require(decisions.decision(D.self), "\(D.self) does not read its stored shape")
        return try #require(try [String: JSONValue].recording(decision)[D.key.rawValue])
    }

    @Test func eachKeyHasOneDecisionType() {
        let types: [any CycleDecision.Type] = [
            TriggerDecision.self, DriftReport.self, TrainingJobStatus.self, EvaluationVerdict.self, PromotionResult.self, RejectionDecision.self,
            ApprovalDecision.self, ObservationDecision.self, RollbackDecision.self,
        ]
        #expect(types.map { $0.key.rawValue }.sorted() == DecisionKey.allCases.map(\.rawValue).sorted())
    }

    @Test func aDecisionUnderAnotherShapeIsAbsentNotAFailure() {
        let decisions: [String: JSONValue] = ["approval": ["verdict": "maybe"], "promotion": "not an object"]
        #expect(decisions.decision(ApprovalDecision.self) == nil)
        #expect(decisions.decision(PromotionResult.self) == nil)
        #expect(decisions.decision(RollbackDecision.self) == nil)
    }

    @Test func theTriggerDecisionIsWhatTheStoresWriteWithTheCycle() throws {
        let trigger = Trigger(kind: .driftWebhook, source: "evidently", reason: "share 0.5", dedupKey: "k", payload: ["share": 0.5])
        #expect(
            NewCycle.initialDecisions(trigger) == [
                "trigger": ["kind": "drift_webhook", "source": "evidently", "reason": "share 0.5", "evidence": ["share": 0.5]]
            ])
        let manual = Trigger(kind: .manual, source: nil, reason: nil, dedupKey: nil, payload: .null)
        #expect(NewCycle.initialDecisions(manual) == ["trigger": ["kind": "manual"]])
        #expect(TriggerDecision(manual).trainingReason == "manual")
    }

    @Test func textsSayWhoAndWhy() throws {
        let approval = ApprovalDecision(verdict: .rejected, approver: "bob", comment: "not on a Friday", at: Date(timeIntervalSince1970: 0))
        #expect(approval.text == "rejected by bob: not on a Friday")
        #expect(approval.at == "1970-01-01T00:00:00Z")
        let rollback = RollbackDecision(fromVersion: "2", toVersion: "1", actor: "alice", reason: "latency", anyVersion: false)
        #expect(rollback.text == "champion rolled back to version 1 from version 2 by alice: latency")
    }
}
