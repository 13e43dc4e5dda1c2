/// A reason to retrain found in production feedback, with the evidence that goes into the cycle's record.
public struct MonitorSignal: Sendable, Equatable {
    public var kind: TriggerKind
    public var summary: String
    public var evidence: JSONValue
    /// Identity of the signal, so replaying feedback after a crash joins the cycle it already started.
    public var dedupKey: String
}
