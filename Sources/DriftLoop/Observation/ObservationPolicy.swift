/// What the `observe` state watches after a promotion, Flagger-style but for model versions: for `window`, every
/// `interval`, each rule's PromQL query is evaluated against Prometheus; the first rule that trips rolls the
/// champion back. Declared under `observe:` in the pipeline.
package struct ObservationPolicy: Sendable {
    package struct Rule: Sendable, Codable, Equatable {
        package enum Comparison: String, Sendable, Codable { case above, below }
        package var name: String
        /// A PromQL instant query; the rule looks at the largest (`above`) or smallest (`below`) sample it returns.
        package var query: String
        package var comparison: Comparison
        package var threshold: Double
        /// Consecutive checks that must trip before the rollback (rides out one noisy scrape). Default 1.
        package var failures: Int
    }

    package var window: Duration
    package var interval: Duration
    /// Prometheus' HTTP API root, e.g. `http://127.0.0.1:9090`.
    package var prometheusURL: String
    package var prometheusTokenEnvironmentVariable: String?
    package var rules: [Rule]
}
