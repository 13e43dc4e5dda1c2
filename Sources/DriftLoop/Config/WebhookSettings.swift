/// How incoming webhooks are authenticated and routed (`webhooks:` in config.yaml).
package struct WebhookSettings: Sendable, Equatable {
    /// The Alertmanager label naming the pipeline an alert is for. Default: `pipeline`.
    package var alertmanagerPipelineLabel: String = "pipeline"
    /// The bearer token Alertmanager sends (`http_config.authorization`); nil accepts the API token.
    package var alertmanagerToken: SecretReference?
    /// Signed drift webhooks older or newer than this are refused as replays. Default: 5 minutes.
    package var signatureMaxSkew: Duration = .seconds(300)
    /// HMAC-SHA256 secrets per source (`X-Driftloop-Source`); a source listed here must sign every request.
    package var signingSecrets: [String: SecretReference] = [:]

    package init() {}
}

enum WebhookSettingsReader {
    static func read(_ node: YAMLNode, reader: inout YAMLReader) -> WebhookSettings {
        var settings = WebhookSettings()
        guard !node.isMissing, reader.requireMapping(node, example: "webhooks: {alertmanager: {pipeline_label: pipeline}}") else { return settings }
        reader.rejectUnknownKeys(node, allowed: ["alertmanager", "signed"])
        let alertmanager = node.child("alertmanager")
        if !alertmanager.isMissing, reader.requireMapping(alertmanager, example: "alertmanager: {pipeline_label: pipeline, token_env: VARIABLE}") {
            reader.rejectUnknownKeys(alertmanager, allowed: ["pipeline_label", "token_env", "token_file"])
            settings.alertmanagerPipelineLabel = reader.string(alertmanager.child("pipeline_label"), default: "pipeline") ?? "pipeline"
            settings.alertmanagerToken = Self.secret(alertmanager, reader: &reader, key: "token")
        }
        let signed = node.child("signed")
        if !signed.isMissing, reader.requireMapping(signed, example: "signed: {max_skew: 5m, sources: {evidently: {secret_env: VARIABLE}}}") {
            reader.rejectUnknownKeys(signed, allowed: ["max_skew", "sources"])
            settings.signatureMaxSkew = reader.duration(signed.child("max_skew"), default: .seconds(300)) ?? .seconds(300)
            let sources = signed.child("sources")
            if !sources.isMissing, reader.requireMapping(sources, example: "sources: {evidently: {secret_env: EVIDENTLY_WEBHOOK_SECRET}}") {
                for entry in sources.entries() {
                    guard reader.requireMapping(entry.value, example: "\(entry.key): {secret_env: VARIABLE}") else { continue }
                    reader.rejectUnknownKeys(entry.value, allowed: ["secret_env", "secret_file"])
                    if let secret = Self.secret(entry.value, reader: &reader, key: "secret") {
                        settings.signingSecrets[entry.key] = secret
                    } else {
                        reader.fail(entry.value, "source `\(entry.key)` needs `secret_env: VARIABLE` or `secret_file: PATH`")
                    }
                }
            }
        }
        return settings
    }

    private static func secret(_ node: YAMLNode, reader: inout YAMLReader, key: String) -> SecretReference? {
        if let variable = reader.string(node.child("\(key)_env")) { return .environment(variable) }
        if let path = reader.string(node.child("\(key)_file")) { return .file(path) }
        return nil
    }
}
