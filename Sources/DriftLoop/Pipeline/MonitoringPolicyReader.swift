import DriftStats

/// Reads the `monitoring:` section of a pipeline, reporting each problem at its line and column.
enum MonitoringPolicyReader {
    static func read(_ node: YAMLNode, reader: inout YAMLReader) -> MonitoringPolicy? {
        guard !node.isMissing else { return nil }
        guard reader.requireMapping(node, example: "monitoring: {task: classification, positive_label: \"1\", window: {size: 500}}") else {
            return nil
        }
        reader.rejectUnknownKeys(node, allowed: ["task", "positive_label", "window", "baseline", "detectors", "decay"])
        var policy = MonitoringPolicy(
            task: .classification, positiveLabel: nil, windowSize: 500, windowKind: .tumbling, windowStep: 1, baseline: nil, detectors: [], decay: [])
        let taskNode = node.child("task")
        let taskText = reader.string(taskNode, default: "classification") ?? "classification"
        if let task = MonitoringPolicy.Task(rawValue: taskText) {
            policy.task = task
        } else {
            reader.fail(taskNode, "`monitoring.task` must be `classification` or `regression`, got `\(taskText)`")
        }
        policy.positiveLabel = reader.string(node.child("positive_label"))
        let window = node.child("window")
        if reader.requireMapping(window, example: "window: {size: 500, kind: tumbling}") {
            reader.rejectUnknownKeys(window, allowed: ["size", "kind", "step"])
            policy.windowSize = reader.int(window.child("size"), default: 500, range: 1...1_000_000)
            let kindNode = window.child("kind")
            let kindText = reader.string(kindNode, default: "tumbling") ?? "tumbling"
            if let kind = MonitoringPolicy.WindowKind(rawValue: kindText) {
                policy.windowKind = kind
            } else {
                reader.fail(kindNode, "`window.kind` must be `tumbling` or `sliding`, got `\(kindText)`")
            }
            policy.windowStep = reader.int(window.child("step"), default: max(1, policy.windowSize / 10), range: 1...1_000_000)
        }
        let baseline = node.child("baseline")
        if !baseline.isMissing, reader.requireMapping(baseline, example: "baseline: {f1: 0.82}") {
            var values: [String: Double] = [:]
            for entry in baseline.entries() { values[entry.key] = reader.double(entry.value, default: 0) }
            policy.baseline = values
        }
        for element in node.child("detectors").elements() {
            guard reader.requireMapping(element, example: "- {detector: ddm, input: error, params: {warm_start: 30}}") else { continue }
            reader.rejectUnknownKeys(element, allowed: ["detector", "input", "params"])
            let nameNode = element.child("detector")
            let name = reader.string(nameNode, required: true) ?? ""
            let parameters = reader.stringMap(element.child("params"))
            do {
                _ = try AnyStreamDetector(name: name, parameters: parameters)
            } catch {
                reader.fail(error.parameter == "detector" ? nameNode : element.child("params"), error.description)
            }
            let inputNode = element.child("input")
            let inputText = reader.string(inputNode, default: "error") ?? "error"
            guard let input = MonitoringPolicy.DetectorInput(rawValue: inputText) else {
                reader.fail(inputNode, "`input` must be `error`, `prediction` or `score`, got `\(inputText)`")
                continue
            }
            policy.detectors.append(.init(name: name, input: input, parameters: parameters))
        }
        for element in node.child("decay").elements() {
            guard reader.requireMapping(element, example: "- {metric: f1, drop: 0.05, windows: 2}") else { continue }
            reader.rejectUnknownKeys(element, allowed: ["metric", "drop", "relative", "windows"])
            policy.decay.append(
                .init(
                    metric: reader.string(element.child("metric"), required: true) ?? "",
                    drop: reader.double(element.child("drop"), default: 0.05, range: 0...1_000_000),
                    relative: reader.bool(element.child("relative"), default: false),
                    windows: reader.int(element.child("windows"), default: 1, range: 1...1000)))
        }
        return policy
    }
}
