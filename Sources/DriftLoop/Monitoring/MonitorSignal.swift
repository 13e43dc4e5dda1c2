/// A reason to retrain found in production feedback, with the evidence that goes into the cycle's record.
package struct MonitorSignal: Sendable, Equatable {
    package var kind: TriggerKind
    package var summary: String
    package var evidence: JSONValue
    /// Identity of the signal, so replaying feedback after a crash joins the cycle it already started.
    package var dedupKey: String
}
