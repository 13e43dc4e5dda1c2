/// What the `observe` state watches after a promotion, Flagger-style but for model versions: for `window`, every
/// `interval`, each rule's PromQL query is evaluated against Prometheus; the first rule that trips rolls the
/// champion back. Declared under `observe:` in the pipeline.
public struct ObservationPolicy: Sendable {
    public struct Rule: Sendable, Codable, Equatable {
        public enum Comparison: String, Sendable, Codable { case above, below }
        public var name: String
        /// A PromQL instant query; the rule looks at the largest (`above`) or smallest (`below`) sample it returns.
        public var query: String
        public var comparison: Comparison
        public var threshold: Double
        /// Consecutive checks that must trip before the rollback (rides out one noisy scrape). Default 1.
        public var failures: Int
    }

    public var window: Duration
    public var interval: Duration
    /// Prometheus' HTTP API root, e.g. `http://127.0.0.1:9090`.
    public var prometheusURL: String
    public var prometheusTokenEnvironmentVariable: String?
    public var rules: [Rule]
}
