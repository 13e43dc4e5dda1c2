/// How a pipeline reaches an MLflow tracking server's Model Registry (`registry: {kind: mlflow, ...}`).
package struct MLflowSettings: Sendable {
    /// The tracking server's root URL, e.g. `http://127.0.0.1:5000`.
    package var url: String
    /// Environment variable with a bearer token (MLflow's `MLFLOW_TRACKING_TOKEN` convention).
    package var tokenEnvironmentVariable: String?
    /// Basic auth user, with its password from `passwordEnvironmentVariable`.
    package var user: String?
    package var passwordEnvironmentVariable: String?
    /// Experiment for the runs driftloop creates when a trainer reports no MLflow run. Default: `driftloop/<pipeline>`.
    package var experiment: String?
    /// Also move the legacy stage (`Production`, archiving the old one) for servers and tools that still read stages.
    package var useStages: Bool
    /// Per-request timeout.
    package var requestTimeout: Duration
    /// PEM bundle of the certificate authorities to trust for an https server (a private CA); TLS is always verified.
    package var caFile: String? = nil
}
