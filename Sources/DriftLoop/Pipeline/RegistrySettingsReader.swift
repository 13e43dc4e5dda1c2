/// Reads the `registry:` section of a pipeline, reporting each problem at its line and column.
enum RegistrySettingsReader {
    static func read(_ node: YAMLNode, baseDirectory: String, reader: inout YAMLReader) -> RegistrySettings {
        var registry = RegistrySettings(kind: .builtin, championAlias: "champion")
        guard reader.requireMapping(node, example: "registry: {kind: builtin}") else { return registry }
        let kindNode = node.child("kind")
        let kindText = reader.string(kindNode, default: "builtin") ?? "builtin"
        if let kind = RegistrySettings.Kind(rawValue: kindText) {
            registry.kind = kind
        } else {
            reader.fail(kindNode, "`registry.kind` must be `builtin` or `mlflow`, got `\(kindText)`")
        }
        var allowed: Set<String> = ["kind", "alias"]
        if registry.kind == .mlflow {
            allowed.formUnion(["url", "token_env", "user", "password_env", "experiment", "stages", "request_timeout", "ca_file"])
        }
        reader.rejectUnknownKeys(node, allowed: allowed)
        let aliasNode = node.child("alias")
        registry.championAlias = reader.string(aliasNode, default: "champion") ?? "champion"
        // MLflow's alias rule (`^[\w\-]*$`, `latest` and `v<digits>` reserved); the built-in registry keeps the same names.
        if registry.championAlias.isEmpty || registry.championAlias.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            || registry.championAlias.lowercased() == "latest" || registry.championAlias.wholeMatch(of: /[vV]\d+/) != nil
        {
            reader.fail(aliasNode, "`registry.alias` must be letters, digits, `_` or `-`, and not `latest` or `v<digits>`; for example `champion`")
        }
        guard registry.kind == .mlflow else { return registry }
        let urlNode = node.child("url")
        let url = reader.string(urlNode, required: true) ?? ""
        if !urlNode.isMissing, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            reader.fail(urlNode, "`registry.url` must be the MLflow tracking server's http(s) URL, for example `http://127.0.0.1:5000`")
        }
        let userNode = node.child("user")
        let user = reader.string(userNode)
        let passwordEnvironmentVariable = reader.string(node.child("password_env"))
        if user != nil, passwordEnvironmentVariable == nil {
            reader.fail(userNode, "`registry.user` needs `password_env: VARIABLE` naming the environment variable with the password")
        }
        registry.mlflow = MLflowSettings(
            url: url, tokenEnvironmentVariable: reader.string(node.child("token_env")), user: user,
            passwordEnvironmentVariable: passwordEnvironmentVariable,
            experiment: reader.string(node.child("experiment")), useStages: reader.bool(node.child("stages"), default: false),
            requestTimeout: reader.duration(node.child("request_timeout"), default: .seconds(30)) ?? .seconds(30),
            caFile: CAFileReader.read(node.child("ca_file"), baseDirectory: baseDirectory, reader: &reader))
        return registry
    }
}
