import DriftStats
import Foundation

/// Reads `pipelines/NAME.yaml` into a validated `PipelineDefinition`, reporting every problem with file:line:column.
public enum PipelineLoader {
    static let topLevelKeys: Set<String> = [
        "name", "model", "data", "drift", "trainer", "evaluation", "registry", "observe", "schedule", "monitoring", "cooldown", "initial", "states",
        "feedback_retention",
    ]
    static let stateKeys: Set<String> = ["action", "terminal", "on", "timeout", "retry", "poll"]

    /// Loads and validates one pipeline file.
    package static func load(path: String) throws(DiagnosticsError) -> PipelineDefinition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DiagnosticsError([
                Diagnostic(SourceLocation(file: path, line: 1, column: 1), "cannot read the pipeline file: \(error.localizedDescription)")
            ])
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try Self.parse(text, file: path, defaultName: name, baseDirectory: (path as NSString).deletingLastPathComponent)
    }

    /// Loads every `*.yaml` in a folder; all files' problems are reported together.
    public static func loadAll(directory: String) throws(DiagnosticsError) -> [PipelineDefinition] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var pipelines: [PipelineDefinition] = []
        var diagnostics: [Diagnostic] = []
        for name in names {
            do {
                pipelines.append(try Self.load(path: (directory as NSString).appendingPathComponent(name)))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        var seen: [String: String] = [:]
        for pipeline in pipelines {
            if let other = seen[pipeline.name] {
                diagnostics.append(
                    Diagnostic(SourceLocation(file: pipeline.file, line: 1, column: 1), "pipeline name `\(pipeline.name)` is also used by \(other)"))
            }
            seen[pipeline.name] = pipeline.file
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics) }
        return pipelines
    }

    /// Parses pipeline text; relative data paths are resolved against `baseDirectory`.
    public static func parse(_ text: String, file: String, defaultName: String, baseDirectory: String) throws(DiagnosticsError) -> PipelineDefinition
    {
        let root = try YAMLNode.parse(text, file: file)
        var reader = YAMLReader()
        guard !root.isMissing, reader.requireMapping(root, example: "model: churn") else {
            if root.isMissing { reader.fail(root, "the pipeline file is empty; it needs at least `model`, `data` and `states`") }
            throw DiagnosticsError(reader.diagnostics)
        }
        reader.rejectUnknownKeys(root, allowed: Self.topLevelKeys)

        let name = reader.string(root.child("name"), default: defaultName) ?? defaultName
        if name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            reader.fail(root.child("name"), "pipeline name `\(name)` may hold only letters, digits, `-` and `_`")
        }
        let model = reader.string(root.child("model"), required: true) ?? ""

        let driftNode = root.child("drift")
        var drift = DriftPolicy(share: 0.5, method: nil, threshold: nil, perColumnMethod: [:], perColumnThreshold: [:], columns: nil)
        if reader.requireMapping(driftNode, example: "drift: {share: 0.5}") {
            reader.rejectUnknownKeys(driftNode, allowed: ["share", "method", "threshold", "per_column", "columns", "correction"])
            let correctionNode = driftNode.child("correction")
            if let name = reader.string(correctionNode) {
                if let correction = MultipleTestingCorrection(rawValue: name) {
                    drift.correction = correction
                } else {
                    let names = MultipleTestingCorrection.allCases.map(\.rawValue)
                    reader.fail(
                        correctionNode,
                        "`drift.correction` must be one of \(names.joined(separator: ", ")), got `\(name)`\(NameSuggestion.hint(for: name, among: names))"
                    )
                }
            }
            drift.share = reader.double(driftNode.child("share"), default: 0.5, range: 0...1)
            drift.method = reader.string(driftNode.child("method"))
            if let method = drift.method, StatTestMethod(rawValue: method) == nil {
                reader.fail(driftNode.child("method"), StatTestError.unknownMethod(method).description)
            }
            let thresholdNode = driftNode.child("threshold")
            drift.threshold = thresholdNode.isMissing ? nil : reader.double(thresholdNode, default: 0.05, range: 0...1000)
            drift.columns = reader.stringList(driftNode.child("columns"))
            let perColumn = driftNode.child("per_column")
            if reader.requireMapping(perColumn, example: "per_column: {age: {method: psi, threshold: 0.2}}") {
                for entry in perColumn.entries() {
                    reader.rejectUnknownKeys(entry.value, allowed: ["method", "threshold"])
                    if let method = reader.string(entry.value.child("method")) {
                        if StatTestMethod(rawValue: method) == nil {
                            reader.fail(entry.value.child("method"), StatTestError.unknownMethod(method).description)
                        }
                        drift.perColumnMethod[entry.key] = method
                    }
                    let threshold = entry.value.child("threshold")
                    if !threshold.isMissing { drift.perColumnThreshold[entry.key] = reader.double(threshold, default: 0.05, range: 0...1000) }
                }
            }
        }

        let trainer = TrainerSettingsReader.read(root.child("trainer"), baseDirectory: baseDirectory, reader: &reader)

        let evaluation = Self.readEvaluation(root.child("evaluation"), reader: &reader)

        let registry = RegistrySettingsReader.read(root.child("registry"), baseDirectory: baseDirectory, reader: &reader)

        let observation = ObservationPolicyReader.read(root.child("observe"), reader: &reader)
        let schedule = ScheduleSettingsReader.read(root.child("schedule"), reader: &reader)
        let data = DataSettingsReader.read(root.child("data"), trainer: trainer, schedule: schedule, baseDirectory: baseDirectory, reader: &reader)
        let monitoring = MonitoringPolicyReader.read(root.child("monitoring"), reader: &reader)
        let cooldown = reader.duration(root.child("cooldown"), default: .seconds(600)) ?? .seconds(600)
        let (states, order) = Self.readStates(root.child("states"), reader: &reader)
        let initialNode = root.child("initial")
        let initial = reader.string(initialNode, default: order.first) ?? ""

        var definition = PipelineDefinition(
            name: name, file: file, model: model, data: data, drift: drift, trainer: trainer, evaluation: evaluation,
            registry: registry, observation: observation, schedule: schedule, monitoring: monitoring, cooldown: cooldown, initialState: initial,
            states: states, stateOrder: order)
        definition.feedbackRetention = FeedbackRetentionReader.read(root.child("feedback_retention"), reader: &reader)
        var diagnostics = reader.diagnostics
        diagnostics += PipelineValidator.validate(
            definition, initialLocation: initialNode.isMissing ? root.child("states").location : initialNode.location)
        if !diagnostics.isEmpty {
            throw DiagnosticsError(diagnostics.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) })
        }
        definition.states = states
        return definition
    }

    private static func readEvaluation(_ node: YAMLNode, reader: inout YAMLReader) -> EvaluationPolicy {
        var policy = EvaluationPolicy(
            primary: PrimaryMetricRule(metric: "f1", direction: .higher, minImprovement: 0, minRelativeImprovement: 0, floor: nil),
            guards: [])
        guard reader.requireMapping(node, example: "evaluation: {primary: {metric: f1}}") else { return policy }
        reader.rejectUnknownKeys(node, allowed: ["primary", "guards"])
        let primary = node.child("primary")
        if reader.requireMapping(primary, example: "primary: {metric: f1, direction: higher, min_improvement: 0.01}") {
            reader.rejectUnknownKeys(primary, allowed: ["metric", "direction", "min_improvement", "min_relative_improvement", "floor"])
            policy.primary.metric = reader.string(primary.child("metric"), default: "f1") ?? "f1"
            policy.primary.direction = Self.direction(primary.child("direction"), reader: &reader)
            policy.primary.minImprovement = reader.double(primary.child("min_improvement"), default: 0)
            policy.primary.minRelativeImprovement = reader.double(primary.child("min_relative_improvement"), default: 0)
            let floor = primary.child("floor")
            policy.primary.floor = floor.isMissing ? nil : reader.double(floor, default: 0)
        }
        let guards = node.child("guards")
        if !guards.isMissing, !guards.isSequence {
            reader.fail(guards, "`evaluation.guards` must be a list such as `- {metric: accuracy, max_regression: 0.01}`")
        }
        for element in guards.elements() where reader.requireMapping(element, example: "{metric: accuracy, max_regression: 0.01}") {
            reader.rejectUnknownKeys(element, allowed: ["metric", "direction", "max_regression"])
            let metric = reader.string(element.child("metric"), required: true) ?? ""
            policy.guards.append(
                GuardMetricRule(
                    metric: metric, direction: Self.direction(element.child("direction"), reader: &reader),
                    maxRegression: reader.double(element.child("max_regression"), default: 0, range: 0...1_000_000)))
        }
        return policy
    }

    private static func direction(_ node: YAMLNode, reader: inout YAMLReader) -> MetricDirection {
        let text = reader.string(node, default: "higher") ?? "higher"
        guard let direction = MetricDirection(rawValue: text) else {
            reader.fail(node, "`\(node.path)` must be `higher` or `lower`, got `\(text)`")
            return .higher
        }
        return direction
    }

    private static func readStates(_ node: YAMLNode, reader: inout YAMLReader) -> ([String: StateDefinition], [String]) {
        guard !node.isMissing else {
            reader.fail(node, "`states` is required: a mapping of state names to `{action: ..., on: {...}}` or `{terminal: ...}`")
            return ([:], [])
        }
        guard reader.requireMapping(node, example: "states: {detect: {action: detect_drift, on: {...}}}") else { return ([:], []) }
        var states: [String: StateDefinition] = [:]
        var order: [String] = []
        for entry in node.entries() {
            let stateNode = entry.value
            guard reader.requireMapping(stateNode, example: "\(entry.key): {action: detect_drift, on: {drift: train}}") else { continue }
            reader.rejectUnknownKeys(stateNode, allowed: Self.stateKeys)
            var state = StateDefinition(
                name: entry.key, location: entry.keyLocation, actionName: nil, terminal: nil, transitions: [:], timeout: nil,
                retry: RetryPolicy(), pollInterval: nil)
            state.actionName = reader.string(stateNode.child("action"))
            let terminalNode = stateNode.child("terminal")
            if let terminal = reader.string(terminalNode) {
                if let outcome = CycleOutcome(rawValue: terminal) {
                    state.terminal = outcome
                } else {
                    reader.fail(
                        terminalNode, "`terminal` must be one of \(CycleOutcome.allCases.map(\.rawValue).joined(separator: ", ")), got `\(terminal)`")
                }
            }
            let transitions = stateNode.child("on")
            if !transitions.isMissing, reader.requireMapping(transitions, example: "on: {drift: train, no_drift: no_drift}") {
                for transition in transitions.entries() {
                    if let target = reader.string(transition.value) {
                        state.transitions[transition.key] = .init(target: target, location: transition.value.location)
                    }
                }
            }
            state.timeout = reader.duration(stateNode.child("timeout"), default: nil)
            state.declaresTimeout = !stateNode.child("timeout").isMissing
            state.pollInterval = reader.duration(stateNode.child("poll"), default: nil)
            let retry = stateNode.child("retry")
            if reader.requireMapping(retry, example: "retry: {attempts: 3, backoff: 1s, max_backoff: 30s}") {
                reader.rejectUnknownKeys(retry, allowed: ["attempts", "backoff", "max_backoff"])
                state.retry.attempts = reader.int(retry.child("attempts"), default: 3, range: 1...100)
                state.retry.initialBackoff = reader.duration(retry.child("backoff"), default: .seconds(1)) ?? .seconds(1)
                state.retry.maxBackoff = reader.duration(retry.child("max_backoff"), default: .seconds(30)) ?? .seconds(30)
            }
            states[entry.key] = state
            order.append(entry.key)
        }
        return (states, order)
    }
}
