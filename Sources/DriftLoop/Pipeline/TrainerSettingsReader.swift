import Foundation
import Mustache

/// Reads the `trainer:` section of a pipeline, reporting each problem at its line and column.
enum TrainerSettingsReader {
    static func read(_ node: YAMLNode, baseDirectory: String, reader: inout YAMLReader) -> TrainerSettings {
        var trainer = TrainerSettings(
            kind: .builtin, url: nil, parameters: [:], pollInterval: .seconds(1), tokenEnvironmentVariable: nil, maxPollInterval: .seconds(1),
            jenkins: nil)
        guard reader.requireMapping(node, example: "trainer: {kind: builtin}") else { return trainer }
        let kindNode = node.child("kind")
        let kindText = reader.string(kindNode, default: "builtin") ?? "builtin"
        if let kind = TrainerSettings.Kind(rawValue: kindText) {
            trainer.kind = kind
        } else {
            reader.fail(kindNode, "`trainer.kind` must be `builtin`, `http` or `jenkins`, got `\(kindText)`")
        }
        var allowed: Set<String> = ["kind", "url", "params", "poll", "max_poll", "token_env", "ca_file", "model_roots"]
        if trainer.kind == .jenkins {
            allowed.formUnion(["job", "user", "token_file", "trigger_token_env", "metrics_artifact", "model_artifact", "delay", "request_timeout"])
        }
        reader.rejectUnknownKeys(node, allowed: allowed)
        trainer.url = reader.string(node.child("url"))
        if trainer.kind != .builtin, trainer.url == nil {
            reader.fail(node, "`trainer.url` is required when `trainer.kind` is `\(trainer.kind.rawValue)`, for example `http://127.0.0.1:9000`")
        }
        trainer.parameters = reader.stringMap(node.child("params"))
        trainer.pollInterval = reader.duration(node.child("poll"), default: .seconds(1)) ?? .seconds(1)
        let defaultMaxPoll: Duration = trainer.kind == .jenkins ? max(.seconds(10), trainer.pollInterval) : trainer.pollInterval
        trainer.maxPollInterval = max(trainer.pollInterval, reader.duration(node.child("max_poll"), default: defaultMaxPoll) ?? defaultMaxPoll)
        trainer.tokenEnvironmentVariable = reader.string(node.child("token_env"))
        trainer.caFile = CAFileReader.read(node.child("ca_file"), baseDirectory: baseDirectory, reader: &reader)
        trainer.modelRoots = (reader.stringList(node.child("model_roots")) ?? []).map { PathResolution.resolve($0, relativeTo: baseDirectory) }
        if trainer.kind == .builtin {
            // The built-in trainer refuses unknown or out-of-range parameters; say so at load, where the line is known.
            do {
                try TrainingRequestPolicy.checkParameters(trainer.parameters)
            } catch {
                let paramsNode = node.child("params")
                let name = String(error.field.dropFirst("params.".count))
                reader.fail(paramsNode.child(name).isMissing ? (paramsNode.isMissing ? node : paramsNode) : paramsNode.child(name), error.message)
            }
        }
        if trainer.kind == .jenkins { trainer.jenkins = Self.readJenkins(node, parameters: trainer.parameters, reader: &reader) }
        return trainer
    }

    private static func readJenkins(_ node: YAMLNode, parameters: [String: String], reader: inout YAMLReader) -> JenkinsSettings {
        let jobNode = node.child("job")
        let job = reader.string(jobNode, required: true) ?? ""
        if !jobNode.isMissing, job.split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            reader.fail(jobNode, "`trainer.job` must be a job's full name with folders separated by `/`, for example `ml/retrain`")
        }
        let paramsNode = node.child("params")
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            do {
                _ = try MustacheTemplate(string: value)
            } catch {
                reader.fail(
                    paramsNode.child(name), "`trainer.params.\(name)` is not a valid Mustache template (\(error)); for example `\"{{cycle_id}}\"`")
            }
        }
        // Without a parameter carrying the cycle id, a build triggered just before a crash could not be found again.
        let cycleParameter = parameters.sorted(by: { $0.key < $1.key }).first { $0.value.trimmingCharacters(in: .whitespaces) == "{{cycle_id}}" }?.key
        if cycleParameter == nil {
            reader.fail(
                paramsNode.isMissing ? node : paramsNode,
                "a Jenkins trainer needs a build parameter whose value is exactly `{{cycle_id}}`, for example `params: {DRIFTLOOP_CYCLE: \"{{cycle_id}}\"}`; driftloop uses it to find its build again after a restart"
            )
        }
        let userNode = node.child("user")
        let user = reader.string(userNode)
        let tokenEnvironmentVariable = reader.string(node.child("token_env"))
        let tokenFile = reader.string(node.child("token_file"))
        if user != nil, tokenEnvironmentVariable == nil, tokenFile == nil {
            reader.fail(userNode, "`trainer.user` needs its API token from `token_env: VARIABLE` or `token_file: PATH`")
        }
        return JenkinsSettings(
            job: job, user: user, tokenEnvironmentVariable: tokenEnvironmentVariable, tokenFile: tokenFile,
            triggerTokenEnvironmentVariable: reader.string(node.child("trigger_token_env")), parameters: parameters,
            cycleParameter: cycleParameter ?? "",
            metricsArtifact: reader.string(node.child("metrics_artifact"), default: "metrics.json") ?? "metrics.json",
            modelArtifact: reader.string(node.child("model_artifact")), delay: reader.string(node.child("delay")),
            requestTimeout: reader.duration(node.child("request_timeout"), default: .seconds(30)) ?? .seconds(30))
    }
}
