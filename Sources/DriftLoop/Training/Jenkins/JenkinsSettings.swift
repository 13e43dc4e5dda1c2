/// How a pipeline drives a Jenkins job (`trainer: {kind: jenkins, ...}`).
package struct JenkinsSettings: Sendable {
    /// Full job name; folders separated by `/` (`ml/retrain` is `/job/ml/job/retrain`).
    package var job: String
    /// User for basic auth with an API token; nil sends no credentials (remote-trigger token only).
    package var user: String?
    /// Where the API token comes from: an environment variable, or a file (first line).
    package var tokenEnvironmentVariable: String?
    package var tokenFile: String?
    /// Environment variable holding the job's "Trigger builds remotely" token, if the job uses one.
    package var triggerTokenEnvironmentVariable: String?
    /// Build parameters; values are Mustache templates over the cycle (see `TrainingTemplateContext`).
    package var parameters: [String: String]
    /// The build parameter carrying `{{cycle_id}}`, which finds a build again after a crash mid-trigger.
    package var cycleParameter: String
    /// Artifact holding challenger and champion metrics: `{"challenger": {...}, "champion": {...}, "model_uri": ...}`.
    package var metricsArtifact: String
    /// Artifact holding the model, used as the model URI when metrics do not name one.
    package var modelArtifact: String?
    /// Jenkins' `delay` parameter (quiet period), in Jenkins' own form such as `0sec`; nil keeps the job's.
    package var delay: String?
    /// Per-request timeout for calls to Jenkins.
    package var requestTimeout: Duration
}
