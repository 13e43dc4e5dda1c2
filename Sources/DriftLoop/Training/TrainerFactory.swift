import CurlHTTP
import Foundation

/// Builds the trainer a pipeline declares, with its secrets read from the environment or files named in it.
package enum TrainerFactory {
    package static func make(_ settings: TrainerSettings, builtin: BuiltinTrainerAccess, environment: [String: String], client: CurlHTTPClient)
        -> any Trainer
    {
        let token = settings.tokenEnvironmentVariable.flatMap { environment[$0] }
        // A private CA gets a client of its own; TLS is verified either way.
        let client = settings.caFile.map { CurlHTTPClient(caBundlePath: $0) } ?? client
        switch settings.kind {
        case .builtin:
            // The built-in trainer always proves its jobs' requests (it keeps their digests).
            return HTTPTrainer(builtin: builtin.endpoint, token: builtin.token, client: client)
        case .http:
            return settings.url.map { HTTPTrainer(baseURL: $0, token: token, client: client) }
                ?? HTTPTrainer(builtin: builtin.endpoint, token: builtin.token, client: client)
        case .jenkins:
            let jenkins = settings.jenkins!
            let apiToken = token ?? jenkins.tokenFile.flatMap { SecretReference.file($0).resolve(environment: environment) }
            let triggerToken = jenkins.triggerTokenEnvironmentVariable.flatMap { environment[$0] }
            return JenkinsTrainer(baseURL: settings.url ?? "", settings: jenkins, token: apiToken, triggerToken: triggerToken, client: client)
        }
    }
}
