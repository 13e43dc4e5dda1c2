/// Renders a pipeline's state machine as a Mermaid `stateDiagram-v2`.
package enum MermaidGraph {
    package static func render(_ pipeline: PipelineDefinition) -> String {
        var lines = ["stateDiagram-v2", "    [*] --> \(pipeline.initialState)"]
        for name in pipeline.stateOrder {
            guard let state = pipeline.states[name] else { continue }
            if let terminal = state.terminal {
                lines.append("    \(name) --> [*]: \(terminal.rawValue)")
                continue
            }
            if let action = state.action {
                var note = "action \(action.rawValue)"
                if let timeout = state.timeout { note += ", timeout \(DurationText.format(timeout))" }
                lines.append("    \(name): \(name) (\(note))")
            }
            for (outcome, transition) in state.transitions.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(name) --> \(transition.target): \(outcome)")
            }
            if let failed = pipeline.terminalState(for: .failed) {
                let implicit = ActionCatalog.universalOutcomes.filter { state.transitions[$0] == nil }
                if !implicit.isEmpty { lines.append("    \(name) --> \(failed): \(implicit.joined(separator: " / "))") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
