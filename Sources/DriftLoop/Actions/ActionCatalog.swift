/// What the validator needs to know about an action without running it.
public struct ActionDescriptor: Sendable {
    public var name: String
    /// Outcomes the action can return; each must be mapped by a state that runs it.
    public var outcomes: [String]
    /// Outcomes a state may map but need not; unmapped, the action returns a required one instead.
    public var optionalOutcomes: [String] = []
    /// A waiting action polls something outside until it finishes, so its state needs a timeout.
    public var isWaiting: Bool
    public var summary: String
}

/// The actions a pipeline may name, and the outcomes every action can end with.
public enum ActionCatalog {
    /// Outcomes any action can end with: an error that retries did not cure, and the state's timeout.
    /// A state may map them; unmapped, they lead to the pipeline's `failed` terminal state.
    public static let universalOutcomes = ["error", "timeout"]

    public static let descriptors: [String: ActionDescriptor] = Dictionary(
        uniqueKeysWithValues: [
            ActionDescriptor(
                name: "detect_drift", outcomes: ["drift", "no_drift", "forced"], isWaiting: false,
                summary: "runs the drift tests on reference vs current data; `forced` for manual retrains"),
            ActionDescriptor(
                name: "start_training", outcomes: ["started"], isWaiting: false,
                summary: "asks the trainer for a job (once per cycle) and records its handle"),
            ActionDescriptor(
                name: "await_training", outcomes: ["succeeded", "failed"], optionalOutcomes: ["unstable", "aborted", "not_built"], isWaiting: true,
                summary: "polls the training job until it ends; Jenkins' UNSTABLE, ABORTED and NOT_BUILT are `failed` unless the state maps them"),
            ActionDescriptor(
                name: "evaluate", outcomes: ["better", "not_better"], isWaiting: false,
                summary: "compares challenger and champion metrics by the declared rules"),
            ActionDescriptor(
                name: "promote", outcomes: ["promoted"], isWaiting: false,
                summary: "registers the challenger and makes it the champion (once per cycle)"),
            ActionDescriptor(
                name: "reject", outcomes: ["rejected"], isWaiting: false,
                summary: "registers the challenger and marks it rejected with the reason"),
            ActionDescriptor(
                name: "approve", outcomes: ["approved", "rejected"], isWaiting: true,
                summary: "waits for a person to approve or reject (API or `driftloop approve`); who and why are recorded"),
            ActionDescriptor(
                name: "observe", outcomes: ["healthy", "rolled_back"], isWaiting: true,
                summary: "watches the new champion's declared signals (PromQL) for `observe.window`; rolls back when a rule trips"),
        ].map { ($0.name, $0) })
}
