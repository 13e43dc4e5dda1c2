/// Checks a pipeline's state graph: every problem becomes a diagnostic at the place to fix.
enum PipelineValidator {
    static func validate(_ pipeline: PipelineDefinition, initialLocation: SourceLocation) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let states = pipeline.states
        guard !states.isEmpty else { return diagnostics }

        if states[pipeline.initialState] == nil {
            diagnostics.append(
                Diagnostic(
                    initialLocation,
                    "initial state `\(pipeline.initialState)` is not declared under `states`\(NameSuggestion.hint(for: pipeline.initialState, among: pipeline.stateOrder))"
                ))
        }
        for required in [CycleOutcome.failed, .cancelled] where pipeline.terminalState(for: required) == nil {
            diagnostics.append(
                Diagnostic(
                    SourceLocation(file: pipeline.file, line: 1, column: 1),
                    "no state has `terminal: \(required.rawValue)`; declare one (for example `\(required.rawValue): {terminal: \(required.rawValue)}`): cycles end there on errors and cancellation"
                ))
        }

        for name in pipeline.stateOrder {
            guard let state = states[name] else { continue }
            switch (state.actionName, state.terminal) {
            case (.some, .some):
                diagnostics.append(
                    Diagnostic(state.location, "state `\(name)` has both `action` and `terminal`; a state either runs an action or ends the cycle"))
            case (.none, .none):
                diagnostics.append(Diagnostic(state.location, "state `\(name)` needs `action: NAME` or `terminal: OUTCOME`"))
            case (.none, .some):
                if let first = state.transitions.values.first {
                    diagnostics.append(Diagnostic(first.location, "terminal state `\(name)` cannot have transitions (`on`)"))
                }
            case (.some(let action), .none):
                diagnostics += Self.checkActionState(state, action: action, pipeline: pipeline)
            }
        }

        // A transition to a state that does not exist, or no initial state, cuts the graph: the states behind it look
        // unreachable or unable to finish, but only because of that one mistake, which is reported already.
        let graphIsCut =
            states[pipeline.initialState] == nil
            || states.values.contains { state in state.transitions.values.contains { states[$0.target] == nil } }
        guard !graphIsCut else { return diagnostics }

        // Reachability from the initial state.
        do {
            var reachable: Set<String> = [pipeline.initialState]
            var frontier = [pipeline.initialState]
            while let current = frontier.popLast() {
                for target in Self.successors(of: current, in: pipeline) where states[target] != nil && !reachable.contains(target) {
                    reachable.insert(target)
                    frontier.append(target)
                }
            }
            for name in pipeline.stateOrder where !reachable.contains(name) {
                let state = states[name]!
                // Cancellation can end any cycle, so the cancelled terminal counts as reachable.
                if state.terminal == .cancelled { continue }
                diagnostics.append(Diagnostic(state.location, "state `\(name)` is unreachable from the initial state `\(pipeline.initialState)`"))
            }
        }

        // Every state must be able to reach a terminal state.
        var canFinish: Set<String> = Set(pipeline.stateOrder.filter { states[$0]?.isTerminal == true })
        var changed = true
        while changed {
            changed = false
            for name in pipeline.stateOrder where !canFinish.contains(name) {
                if Self.successors(of: name, in: pipeline).contains(where: { canFinish.contains($0) }) {
                    canFinish.insert(name)
                    changed = true
                }
            }
        }
        for name in pipeline.stateOrder where !canFinish.contains(name) {
            diagnostics.append(
                Diagnostic(states[name]!.location, "state `\(name)` has no path to a terminal state; cycles starting here could never end"))
        }
        return diagnostics
    }

    private static func checkActionState(_ state: StateDefinition, action: String, pipeline: PipelineDefinition) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        guard let kind = ActionKind(rawValue: action), let descriptor = ActionCatalog.descriptors[kind] else {
            return [
                Diagnostic(
                    state.location,
                    "state `\(state.name)` names unknown action `\(action)`\(NameSuggestion.hint(for: action, among: ActionKind.allCases.map(\.rawValue))); expected one of: \(ActionKind.allCases.map(\.rawValue).sorted().joined(separator: ", "))"
                )
            ]
        }
        for outcome in descriptor.outcomes where state.transitions[outcome] == nil {
            diagnostics.append(
                Diagnostic(
                    state.location,
                    "state `\(state.name)` does not map outcome `\(outcome)` of action `\(action)`; add `on: {\(outcome): STATE}` (its outcomes: \(descriptor.outcomes.joined(separator: ", ")))"
                ))
        }
        let known = Set(descriptor.outcomes + descriptor.optionalOutcomes + ActionCatalog.universalOutcomes)
        for (outcome, transition) in state.transitions.sorted(by: { $0.key < $1.key }) {
            if !known.contains(outcome) {
                diagnostics.append(
                    Diagnostic(
                        transition.location,
                        "action `\(action)` never returns `\(outcome)`\(NameSuggestion.hint(for: outcome, among: known)); its outcomes are \((descriptor.outcomes + descriptor.optionalOutcomes).joined(separator: ", ")) (and error, timeout)"
                    ))
            }
            if pipeline.states[transition.target] == nil {
                diagnostics.append(
                    Diagnostic(
                        transition.location,
                        "transition `\(outcome)` of state `\(state.name)` goes to unknown state `\(transition.target)`\(NameSuggestion.hint(for: transition.target, among: pipeline.stateOrder)); declared states: \(pipeline.stateOrder.joined(separator: ", "))"
                    ))
            }
        }
        // A timeout that is written but malformed has its own diagnostic; this one is for a missing key.
        if descriptor.isWaiting, state.timeout == nil, !state.declaresTimeout {
            diagnostics.append(
                Diagnostic(state.location, "state `\(state.name)` waits (action `\(action)`) and needs a `timeout`, for example `timeout: 30m`"))
        }
        if kind == .observe {
            if let observation = pipeline.observation {
                if let timeout = state.timeout, timeout <= observation.window {
                    diagnostics.append(
                        Diagnostic(
                            state.location,
                            "state `\(state.name)` must time out after the observation window (\(DurationText.format(observation.window))); for example `timeout: \(DurationText.format(observation.window * 2))`"
                        ))
                }
            } else {
                diagnostics.append(
                    Diagnostic(
                        state.location,
                        "state `\(state.name)` runs `observe`, which needs an `observe:` section declaring the window, Prometheus and the rules"))
            }
        }
        return diagnostics
    }

    /// States reachable in one step, including where `error` and `timeout` go when unmapped.
    static func successors(of name: String, in pipeline: PipelineDefinition) -> [String] {
        guard let state = pipeline.states[name], !state.isTerminal else { return [] }
        var targets = state.transitions.values.map(\.target)
        if let failed = pipeline.terminalState(for: .failed) {
            for outcome in ActionCatalog.universalOutcomes where state.transitions[outcome] == nil { targets.append(failed) }
        }
        return targets
    }
}
