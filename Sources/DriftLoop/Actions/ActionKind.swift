/// Every action a pipeline may name (`action:` in a state). The raw value is the name in pipeline files; each case's
/// declaration is the action's own file, and a case without one does not compile.
public enum ActionKind: String, CaseIterable, Sendable, Codable {
    case detectDrift = "detect_drift"
    case startTraining = "start_training"
    case awaitTraining = "await_training"
    case evaluate
    case promote
    case reject
    case approve
    case observe

    /// The action's declaration.
    public var declaration: any ActionDeclaration.Type {
        switch self {
        case .detectDrift: DetectDriftAction.self
        case .startTraining: StartTrainingAction.self
        case .awaitTraining: AwaitTrainingAction.self
        case .evaluate: EvaluateAction.self
        case .promote: PromoteAction.self
        case .reject: RejectAction.self
        case .approve: ApproveAction.self
        case .observe: ObserveAction.self
        }
    }

    /// A fresh instance of the standard action.
    package func make() -> any Action { self.declaration.init() }
}
