import CurlHTTP

/// Builds the registry a pipeline declares, with its secrets read from the environment.
package enum RegistryFactory {
    /// `builtin` is shared by every pipeline (one folder per model under `directory`).
    package static func make(_ settings: RegistrySettings, builtin: BuiltinRegistry, environment: [String: String], client: CurlHTTPClient)
        -> any ModelRegistry
    {
        switch settings.kind {
        case .builtin:
            return builtin
        case .mlflow:
            guard let mlflow = settings.mlflow else { return builtin }
            // A private CA gets a client of its own; TLS is verified either way.
            let client = mlflow.caFile.map { CurlHTTPClient(caBundlePath: $0) } ?? client
            var authentication = HTTPAuthentication.none
            if let token = mlflow.tokenEnvironmentVariable.flatMap({ environment[$0] }) {
                authentication = .bearer(token: token)
            } else if let user = mlflow.user {
                authentication = .basic(user: user, password: mlflow.passwordEnvironmentVariable.flatMap { environment[$0] } ?? "")
            }
            return MLflowRegistry(settings: mlflow, championAlias: settings.championAlias, authentication: authentication, client: client)
        }
    }
}
