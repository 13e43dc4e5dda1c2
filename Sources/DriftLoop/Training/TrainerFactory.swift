import CurlHTTP
import Foundation

/// Builds the trainer a pipeline declares, with its secrets read from the environment or files named in it.
public enum TrainerFactory {
    public static func make(_ settings: TrainerSettings, builtinURL: String, environment: [String: String], client: CurlHTTPClient) -> any Trainer {
        let token = settings.tokenEnvironmentVariable.flatMap { environment[$0] }
        // A private CA gets a client of its own; TLS is verified either way.
        let client = settings.caFile.map { CurlHTTPClient(caBundlePath: $0) } ?? client
        switch settings.kind {
        case .builtin:
            return HTTPTrainer(baseURL: builtinURL, token: token, client: client)
        case .http:
            return HTTPTrainer(baseURL: settings.url ?? builtinURL, token: token, client: client)
        case .jenkins:
            let jenkins = settings.jenkins!
            let apiToken = token ?? jenkins.tokenFile.flatMap { SecretReference.file($0).resolve(environment: environment) }
            let triggerToken = jenkins.triggerTokenEnvironmentVariable.flatMap { environment[$0] }
            return JenkinsTrainer(baseURL: settings.url ?? "", settings: jenkins, token: apiToken, triggerToken: triggerToken, client: client)
        }
    }
}
