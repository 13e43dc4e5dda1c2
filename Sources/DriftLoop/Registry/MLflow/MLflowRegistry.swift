import CurlHTTP
import Foundation

/// MLflow's Model Registry, the way MLflow 3 recommends promoting: the champion is an alias (`champion`, or the
/// pipeline's), the one it replaced keeps `previous_<alias>`, so a rollback is one alias move. Versions carry
/// `driftloop.cycle_id` and `driftloop.pipeline` tags, which also make registration idempotent per cycle.
///
/// A challenger whose trainer logged it to MLflow (`model_uri: runs:/<run>/...`) is registered from that run.
/// Otherwise driftloop makes a run for it in the pipeline's experiment, uploads the model file (when it is a
/// local file) as the run's `model` artifact, logs the challenger metrics there, and registers `runs:/<run>/model`.
package actor MLflowRegistry: ModelRegistry {
    private let api: MLflowClient
    private let settings: MLflowSettings
    private let championAlias: String
    private var previousAlias: String { "previous_\(self.championAlias)" }

    static let cycleTag = "driftloop.cycle_id"
    static let pipelineTag = "driftloop.pipeline"
    /// The URI the trainer reported, which trainers read back to score the champion.
    static let sourceTag = "driftloop.source_uri"

    package init(settings: MLflowSettings, championAlias: String, authentication: HTTPAuthentication, client: CurlHTTPClient) {
        self.settings = settings
        self.championAlias = championAlias
        self.api = MLflowClient(baseURL: settings.url, authentication: authentication, timeout: settings.requestTimeout, client: client)
    }

    // MARK: Reading

    package func champion(model: String) async throws -> ModelVersion? {
        try await self.version(model: model, alias: self.championAlias)
    }

    package func previousChampion(model: String) async throws -> ModelVersion? {
        try await self.version(model: model, alias: self.previousAlias)
    }

    package func versions(model: String) async throws -> [ModelVersion] {
        try await self.search(filter: "name='\(Self.quoted(model))'").sorted { (Int($0.version) ?? 0) < (Int($1.version) ?? 0) }.map {
            self.convert($0)
        }
    }

    /// The version holding `alias`, with its run's metrics; nil when the model or the alias does not exist.
    private func version(model: String, alias: String) async throws -> ModelVersion? {
        guard let found = try await self.aliasRecord(model: model, alias: alias) else { return nil }
        return try await self.withMetrics(self.convert(found), runId: found.runId)
    }

    private func aliasHolder(model: String, alias: String) async throws -> String? {
        try await self.aliasRecord(model: model, alias: alias)?.version
    }

    /// MLflow's record of the version holding `alias`; nil when the model or the alias does not exist.
    private func aliasRecord(model: String, alias: String) async throws -> MLflowPayloads.ModelVersion? {
        do {
            return try await self.api.get(
                "registered-models/alias", [("name", model), ("alias", alias)], as: MLflowPayloads.ModelVersionEnvelope.self
            ).modelVersion
        } catch let failure as MLflowClient.Failure {
            // MLflow answers a missing alias with 400 INVALID_PARAMETER_VALUE "... alias X not found", a missing model with 404.
            if failure.status == 404 || (failure.status == 400 && failure.error.message.contains("not found")) { return nil }
            throw failure.error
        }
    }

    private func modelVersion(model: String, version: String) async throws -> MLflowPayloads.ModelVersion {
        do {
            return try await self.api.get(
                "model-versions/get", [("name", model), ("version", version)], as: MLflowPayloads.ModelVersionEnvelope.self
            ).modelVersion
        } catch let failure as MLflowClient.Failure {
            if failure.status == 404 || failure.status == 400 {
                throw RegistryError("model \(model) has no version \(version) in MLflow at \(self.settings.url)")
            }
            throw failure.error
        }
    }

    private func search(filter: String) async throws -> [MLflowPayloads.ModelVersion] {
        var found: [MLflowPayloads.ModelVersion] = []
        var token: String?
        repeat {
            var query = [("filter", filter), ("max_results", "1000")]
            if let token { query.append(("page_token", token)) }
            let page = try await self.call { try await self.api.get("model-versions/search", query, as: MLflowPayloads.ModelVersionSearch.self) }
            found += page.modelVersions ?? []
            token = page.nextPageToken
        } while token != nil
        return found
    }

    // MARK: Registering

    package func registerChallenger(model: String, sourceURI: String, cycleId: String, pipeline: String, metrics: [String: Double]) async throws
        -> ModelVersion
    {
        try await self.ensureRegisteredModel(model)
        let filter = "name='\(Self.quoted(model))' and tags.`\(Self.cycleTag)`='\(Self.quoted(cycleId))'"
        if let existing = try await self.search(filter: filter).first { return self.convert(existing) }

        let runId: String
        let source: String
        if sourceURI.hasPrefix("runs:/"), let id = sourceURI.dropFirst("runs:/".count).split(separator: "/").first {
            runId = String(id)
            source = sourceURI
        } else {
            runId = try await self.challengerRun(sourceURI: sourceURI, cycleId: cycleId, pipeline: pipeline, metrics: metrics)
            source = "runs:/\(runId)/model"
        }
        let tags = [[Self.cycleTag, cycleId], [Self.pipelineTag, pipeline], [Self.sourceTag, sourceURI]].map { ["key": $0[0], "value": $0[1]] }
        let created = try await self.call {
            try await self.api.post(
                "model-versions/create",
                [
                    "name": model, "source": source, "run_id": runId, "tags": tags,
                    "description": "challenger of driftloop cycle \(cycleId) (pipeline \(pipeline))",
                ],
                as: MLflowPayloads.ModelVersionEnvelope.self)
        }
        return self.convert(created.modelVersion, metrics: metrics)
    }

    private func ensureRegisteredModel(_ model: String) async throws {
        do {
            try await self.api.post("registered-models/create", ["name": model, "tags": [["key": "driftloop.managed", "value": "true"]]])
        } catch let failure as MLflowClient.Failure {
            guard failure.errorCode == "RESOURCE_ALREADY_EXISTS" else { throw failure.error }
        }
    }

    /// The run that holds a challenger from a trainer without MLflow: found again by the cycle tag after a restart.
    private func challengerRun(sourceURI: String, cycleId: String, pipeline: String, metrics: [String: Double]) async throws -> String {
        let experimentId = try await self.experimentId(self.settings.experiment ?? "driftloop/\(pipeline)")
        let search = try await self.call {
            try await self.api.post(
                "runs/search", ["experiment_ids": [experimentId], "filter": "tags.`\(Self.cycleTag)` = '\(Self.quoted(cycleId))'", "max_results": 1],
                as: MLflowPayloads.RunSearch.self)
        }
        if let run = search.runs?.first { return run.info.runId }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let run = try await self.call {
            try await self.api.post(
                "runs/create",
                [
                    "experiment_id": experimentId, "run_name": "driftloop-\(cycleId)", "start_time": now,
                    "tags": [[Self.cycleTag, cycleId], [Self.pipelineTag, pipeline], [Self.sourceTag, sourceURI]].map {
                        ["key": $0[0], "value": $0[1]]
                    },
                ],
                as: MLflowPayloads.RunEnvelope.self)
        }.run
        let artifactURI = run.info.artifactUri ?? ""
        if let url = URL(string: sourceURI), url.isFileURL, let contents = FileManager.default.contents(atPath: url.path) {
            try await self.call {
                try await self.api.uploadArtifact(runArtifactURI: artifactURI, path: "model/" + url.lastPathComponent, contents: contents)
            }
        } else {
            // The model lives elsewhere (a Jenkins artifact, object storage): the run's model folder says where.
            try await self.call {
                try await self.api.uploadArtifact(runArtifactURI: artifactURI, path: "model/source.txt", contents: Data((sourceURI + "\n").utf8))
            }
        }
        try await self.logMetrics(runId: run.info.runId, metrics.map { ($0.key, $0.value) })
        try await self.call {
            try await self.api.post(
                "runs/update", ["run_id": run.info.runId, "status": "FINISHED", "end_time": Int64(Date().timeIntervalSince1970 * 1000)])
        }
        return run.info.runId
    }

    private func experimentId(_ name: String) async throws -> String {
        for _ in 0..<2 {
            do {
                return try await self.api.get("experiments/get-by-name", [("experiment_name", name)], as: MLflowPayloads.Experiment.self).experiment
                    .experimentId
            } catch let failure as MLflowClient.Failure where failure.status == 404 {
                do {
                    return try await self.api.post("experiments/create", ["name": name], as: MLflowPayloads.CreatedExperiment.self).experimentId
                } catch let failure as MLflowClient.Failure where failure.errorCode == "RESOURCE_ALREADY_EXISTS" {
                    continue  // created meanwhile by another replica: read it
                } catch let failure as MLflowClient.Failure {
                    throw failure.error
                }
            } catch let failure as MLflowClient.Failure {
                throw failure.error
            }
        }
        throw RegistryError("MLflow experiment `\(name)` could be neither read nor created at \(self.settings.url)", isTransient: true)
    }

    private func logMetrics(runId: String, _ metrics: [(String, Double)]) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let finite = metrics.filter { $0.1.isFinite }.sorted { $0.0 < $1.0 }
        // MLflow takes at most 1000 metrics per batch.
        for start in stride(from: 0, to: finite.count, by: 1000) {
            let batch = finite[start..<min(finite.count, start + 1000)].map {
                ["key": $0.0, "value": $0.1, "timestamp": now, "step": 0] as [String: any Sendable]
            }
            try await self.call { try await self.api.post("runs/log-batch", ["run_id": runId, "metrics": batch]) }
        }
    }

    // MARK: Moving the champion

    package func promote(model: String, version: String) async throws -> PromotionResult {
        let record = try await self.modelVersion(model: model, version: version)
        let current = try await self.aliasHolder(model: model, alias: self.championAlias)
        if current == version {
            // A resumed promotion: the alias already moved; do not touch `previous` (it would point at itself), but
            // finish what a stop right after the move left out.
            if !(record.tags ?? []).contains(where: { $0.key == "driftloop.promoted_at" }) {
                try await self.setTag(
                    model: model, version: version, key: "driftloop.promoted_at", value: ISO8601DateFormatter().string(from: Date()))
            }
            return PromotionResult(
                version: version, previousVersion: try await self.aliasHolder(model: model, alias: self.previousAlias), wasAlreadyChampion: true)
        }
        if let current { try await self.setAlias(model: model, alias: self.previousAlias, version: current) }
        try await self.setAlias(model: model, alias: self.championAlias, version: version)
        if self.settings.useStages { try await self.transitionToProduction(model: model, version: version) }
        guard try await self.aliasHolder(model: model, alias: self.championAlias) == version else {
            throw RegistryError("MLflow did not keep alias `\(self.championAlias)` on \(model) v\(version) after moving it", isTransient: true)
        }
        try await self.setTag(model: model, version: version, key: "driftloop.promoted_at", value: ISO8601DateFormatter().string(from: Date()))
        return PromotionResult(version: version, previousVersion: current, wasAlreadyChampion: false)
    }

    package func reject(model: String, version: String, reason: String) async throws {
        try await self.setTag(model: model, version: version, key: "driftloop.rejected", value: String(reason.prefix(5000)))
    }

    package func rollback(model: String, to target: String?) async throws -> (from: ModelVersion, to: ModelVersion) {
        guard let current = try await self.aliasHolder(model: model, alias: self.championAlias) else {
            throw RegistryError("model \(model) has no `\(self.championAlias)` alias in MLflow to roll back from")
        }
        var destination = target
        if destination == nil { destination = try await self.aliasHolder(model: model, alias: self.previousAlias) }
        guard let destination else {
            throw RegistryError("model \(model) has no `\(self.previousAlias)` alias; name the version to roll back to (--to VERSION)")
        }
        guard destination != current else { throw RegistryError("version \(destination) of \(model) is already the champion") }
        let to = try await self.modelVersion(model: model, version: destination)
        let from = try await self.modelVersion(model: model, version: current)
        try await self.setAlias(model: model, alias: self.championAlias, version: destination)
        try await self.setAlias(model: model, alias: self.previousAlias, version: current)
        if self.settings.useStages { try await self.transitionToProduction(model: model, version: destination) }
        guard try await self.aliasHolder(model: model, alias: self.championAlias) == destination else {
            throw RegistryError("MLflow did not keep alias `\(self.championAlias)` on \(model) v\(destination) after the rollback", isTransient: true)
        }
        try await self.setTag(model: model, version: current, key: "driftloop.rolled_back_at", value: ISO8601DateFormatter().string(from: Date()))
        return (self.convert(from), self.convert(to))
    }

    package func setTag(model: String, version: String, key: String, value: String) async throws {
        try await self.call { try await self.api.post("model-versions/set-tag", ["name": model, "version": version, "key": key, "value": value]) }
    }

    /// Logs why the cycle promoted or rejected this version to its MLflow run: the comparison's values and the
    /// drift figures as metrics, every decision as `driftloop/cycle-<id>.json`, and the verdict as a run tag.
    public func recordDecisions(model: String, version: String, cycleId: String, verdict: String, decisions: [String: JSONValue]) async throws {
        let registered = try await self.modelVersion(model: model, version: version)
        guard let runId = registered.runId, !runId.isEmpty else { return }
        let run = try await self.call { try await self.api.get("runs/get", [("run_id", runId)], as: MLflowPayloads.RunEnvelope.self) }.run
        var metrics: [(String, Double)] = []
        for rule in decisions.decision(EvaluationVerdict.self)?.rules ?? [] {
            if let value = rule.champion { metrics.append(("driftloop.champion.\(rule.metric)", value)) }
            if let value = rule.challenger { metrics.append(("driftloop.challenger.\(rule.metric)", value)) }
        }
        if let drift = decisions.decision(DriftReport.self) {
            metrics.append(("driftloop.drift.share_drifted", drift.share))
            metrics.append(("driftloop.drift.drifted_columns", Double(drift.driftedColumns)))
        }
        try await self.logMetrics(runId: runId, metrics)
        try await self.call { try await self.api.post("runs/set-tag", ["run_id": runId, "key": "driftloop.verdict", "value": verdict]) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let document: JSONValue = [
            "cycle_id": .string(cycleId), "model": .string(model), "version": .string(version), "verdict": .string(verdict),
            "decisions": .object(decisions),
        ]
        try await self.call {
            try await self.api.uploadArtifact(
                runArtifactURI: run.info.artifactUri ?? "", path: "driftloop/cycle-\(cycleId).json", contents: try encoder.encode(document))
        }
    }

    private func setAlias(model: String, alias: String, version: String) async throws {
        try await self.call { try await self.api.post("registered-models/alias", ["name": model, "alias": alias, "version": version]) }
    }

    private func transitionToProduction(model: String, version: String) async throws {
        try await self.call {
            try await self.api.post(
                "model-versions/transition-stage", ["name": model, "version": version, "stage": "Production", "archive_existing_versions": true],
                as: MLflowPayloads.ModelVersionEnvelope.self)
        }
    }

    // MARK: Support

    /// Runs one API call, surfacing its `RegistryError`.
    @discardableResult
    private func call<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as MLflowClient.Failure {
            throw failure.error
        }
    }

    private func convert(_ version: MLflowPayloads.ModelVersion, metrics: [String: Double] = [:]) -> ModelVersion {
        let tags = Dictionary((version.tags ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        return ModelVersion(
            model: version.name, version: version.version, sourceURI: tags[Self.sourceTag] ?? version.source ?? "", artifactURI: nil,
            createdAt: Date(timeIntervalSince1970: Double(version.creationTimestamp ?? 0) / 1000), tags: tags, metrics: metrics)
    }

    private func withMetrics(_ version: ModelVersion, runId: String?) async throws -> ModelVersion {
        guard let runId, !runId.isEmpty else { return version }
        var version = version
        let run = try await self.call { try await self.api.get("runs/get", [("run_id", runId)], as: MLflowPayloads.RunEnvelope.self) }.run
        for metric in run.data?.metrics ?? [] where !metric.key.hasPrefix("driftloop.") { version.metrics[metric.key] = metric.value }
        return version
    }

    /// A value inside single quotes in MLflow's filter syntax.
    private static func quoted(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "\\'") }
}
