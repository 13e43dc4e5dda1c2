/// How a pipeline drives a Jenkins job (`trainer: {kind: jenkins, ...}`).
public struct JenkinsSettings: Sendable {
    /// Full job name; folders separated by `/` (`ml/retrain` is `/job/ml/job/retrain`).
    public var job: String
    /// User for basic auth with an API token; nil sends no credentials (remote-trigger token only).
    public var user: String?
    /// Where the API token comes from: an environment variable, or a file (first line).
    public var tokenEnvironmentVariable: String?
    public var tokenFile: String?
    /// Environment variable holding the job's "Trigger builds remotely" token, if the job uses one.
    public var triggerTokenEnvironmentVariable: String?
    /// Build parameters; values are Mustache templates over the cycle (see `TrainingTemplateContext`).
    public var parameters: [String: String]
    /// The build parameter carrying `{{cycle_id}}`, which finds a build again after a crash mid-trigger.
    public var cycleParameter: String
    /// Artifact holding challenger and champion metrics: `{"challenger": {...}, "champion": {...}, "model_uri": ...}`.
    public var metricsArtifact: String
    /// Artifact holding the model, used as the model URI when metrics do not name one.
    public var modelArtifact: String?
    /// Jenkins' `delay` parameter (quiet period), in Jenkins' own form such as `0sec`; nil keeps the job's.
    public var delay: String?
    /// Per-request timeout for calls to Jenkins.
    public var requestTimeout: Duration
}
