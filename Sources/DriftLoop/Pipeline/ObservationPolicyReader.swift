/// Reads the `observe:` section of a pipeline, reporting each problem at its line and column.
enum ObservationPolicyReader {
    static func read(_ node: YAMLNode, reader: inout YAMLReader) -> ObservationPolicy? {
        guard !node.isMissing else { return nil }
        let example =
            "observe: {window: 15m, interval: 30s, prometheus: {url: http://127.0.0.1:9090}, rules: [{name: errors, query: \"...\", above: 0.05}]}"
        guard reader.requireMapping(node, example: example) else { return nil }
        reader.rejectUnknownKeys(node, allowed: ["window", "interval", "prometheus", "rules"])
        var policy = ObservationPolicy(
            window: .seconds(900), interval: .seconds(30), prometheusURL: "", prometheusTokenEnvironmentVariable: nil, rules: [])
        policy.window = reader.duration(node.child("window"), default: .seconds(900)) ?? .seconds(900)
        policy.interval = reader.duration(node.child("interval"), default: .seconds(30)) ?? .seconds(30)
        let prometheus = node.child("prometheus")
        if prometheus.isMissing {
            reader.fail(node, "`observe.prometheus.url` is required, for example `prometheus: {url: http://127.0.0.1:9090}`")
        } else if reader.requireMapping(prometheus, example: "prometheus: {url: http://127.0.0.1:9090}") {
            reader.rejectUnknownKeys(prometheus, allowed: ["url", "token_env"])
            let urlNode = prometheus.child("url")
            let url = reader.string(urlNode, required: true) ?? ""
            if !urlNode.isMissing, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                reader.fail(urlNode, "`observe.prometheus.url` must be an http(s) URL, for example `http://127.0.0.1:9090`")
            }
            policy.prometheusURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            policy.prometheusTokenEnvironmentVariable = reader.string(prometheus.child("token_env"))
        }
        let rules = node.child("rules")
        let elements = rules.isMissing ? [] : rules.elements()
        if elements.isEmpty {
            reader.fail(
                rules.isMissing ? node : rules,
                "`observe.rules` needs at least one rule, for example `[{name: errors, query: \"sum(rate(errors_total[5m]))\", above: 0.05}]`")
        }
        for element in elements {
            guard reader.requireMapping(element, example: "{name: errors, query: \"...\", above: 0.05}") else { continue }
            reader.rejectUnknownKeys(element, allowed: ["name", "query", "above", "below", "failures"])
            let name = reader.string(element.child("name"), required: true) ?? ""
            let query = reader.string(element.child("query"), required: true) ?? ""
            let above = element.child("above"), below = element.child("below")
            guard above.isMissing != below.isMissing else {
                reader.fail(element, "rule `\(name)` needs exactly one of `above: NUMBER` or `below: NUMBER`")
                continue
            }
            let comparison: ObservationPolicy.Rule.Comparison = above.isMissing ? .below : .above
            let threshold = reader.double(above.isMissing ? below : above, default: 0)
            policy.rules.append(
                .init(
                    name: name, query: query, comparison: comparison, threshold: threshold,
                    failures: reader.int(element.child("failures"), default: 1, range: 1...1000)))
        }
        return policy
    }
}
