import CurlHTTP
import Foundation

/// Retrains through a Jenkins job, the way a careful operator would drive it: trigger with the cycle's
/// parameters, follow the queue item to its build, poll the build to its result, read the metrics artifact.
///
/// Every handle is recorded before the next call: a marker before the trigger, then the queue item, then the
/// build. After a restart the cycle continues from the last handle; if it stopped between the trigger and the
/// queue item, the build is found again by its cycle-id parameter, so a cycle never triggers a second build.
package struct JenkinsTrainer: Trainer {
    static let triggeredHandle = "jenkins_triggered_at"
    static let queueHandle = "jenkins_queue_url"
    static let buildHandle = "jenkins_build_url"

    let settings: JenkinsSettings
    let client: JenkinsClient
    let triggerToken: String?

    package init(baseURL: String, settings: JenkinsSettings, token: String?, triggerToken: String?, client: CurlHTTPClient) {
        self.settings = settings
        self.triggerToken = triggerToken
        self.client = JenkinsClient(baseURL: baseURL, user: settings.user, token: token, requestTimeout: settings.requestTimeout, client: client)
    }

    package func start(_ request: TrainingRequest, idempotencyKey: String) async throws -> String {
        var handles = TrainingHandles()
        return try await self.start(request, idempotencyKey: idempotencyKey, handles: &handles)
    }

    package func status(jobId: String) async throws -> TrainingJobStatus {
        var handles = TrainingHandles(recorded: [Self.queueHandle: jobId])
        return try await self.status(jobId: jobId, handles: &handles)
    }

    // MARK: Trigger

    package func start(_ request: TrainingRequest, idempotencyKey: String, handles: inout TrainingHandles) async throws -> String {
        if let queue = handles[Self.queueHandle] { return queue }
        let jobPath = self.client.jobPath(self.settings.job)
        let parameters = try TrainingTemplateContext(request).render(self.settings.parameters).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if handles[Self.triggeredHandle] != nil,
            let found = try await self.findTriggered(cycleId: request.cycleId, parameters: parameters, jobPath: jobPath)
        {
            if let build = found.build { try await handles.record(Self.buildHandle, build) }
            try await handles.record(Self.queueHandle, found.queue)
            return found.queue
        }
        try await handles.record(Self.triggeredHandle, ISO8601DateFormatter().string(from: Date()))

        var form = parameters
        if let delay = self.settings.delay { form.append(("delay", delay)) }
        if let token = self.triggerToken { form.append(("token", token)) }
        let response = try await self.client.post(jobPath + "/buildWithParameters", form: form)
        switch response.status {
        case 201, 303:
            // 303: an identical item (same parameters, so this cycle's) is already queued; follow it.
            guard let location = response.header("Location"), Self.queueId(in: location) != nil else {
                throw TrainerError("Jenkins queued the build but sent no queue item Location (HTTP \(response.status))", isTransient: false)
            }
            let queue = self.client.rebase(location.hasSuffix("/") ? location : location + "/")
            try await handles.record(Self.queueHandle, queue)
            return queue
        case 302:
            throw TrainerError(
                "the Jenkins queue refused the build of `\(self.settings.job)` (HTTP 302): a queue restriction or plugin rejected it",
                isTransient: false)
        case 400:
            let text = response.text
            if text.contains("not parameterized") {
                throw TrainerError(
                    "Jenkins job `\(self.settings.job)` takes no parameters; declare its parameters in Jenkins (driftloop needs at least the cycle id one)",
                    isTransient: false)
            }
            throw self.client.failure(response, doing: "trigger `\(self.settings.job)`")
        case 403 where response.text.contains("Invalid token"):
            throw TrainerError(
                "Jenkins rejected the remote trigger token of `\(self.settings.job)` (HTTP 403); check trainer.trigger_token_env", isTransient: false)
        case 405:
            throw TrainerError(
                "Jenkins answered 405 to POST buildWithParameters of `\(self.settings.job)`; is trainer.url the Jenkins root URL?", isTransient: false
            )
        case 409:
            throw TrainerError("Jenkins job `\(self.settings.job)` is disabled (HTTP 409); enable it in Jenkins", isTransient: false)
        default:
            throw self.client.failure(response, doing: "trigger `\(self.settings.job)`")
        }
    }

    /// Finds what an interrupted trigger left behind: a queue item or a build carrying this cycle's id and every
    /// parameter this cycle sends (data, champion, params). One with the cycle id but other parameters was not
    /// triggered by this cycle — anyone who can start the job could have planted it — and is not adopted.
    private func findTriggered(cycleId: String, parameters: [(String, String)], jobPath: String) async throws -> (queue: String, build: String?)? {
        let parameter = self.settings.cycleParameter
        // Jenkins hides the values of password parameters (null): those cannot be compared, the rest must match.
        let isOurs: (JenkinsPayloads.Entry) -> Bool = { entry in
            entry.parameter(parameter) == cycleId && parameters.allSatisfy { name, value in entry.parameter(name).map { $0 == value } ?? true }
        }
        // The queue first: an item that leaves it between the two reads shows up among the builds.
        let queueResponse = try await self.client.get("/queue/api/json?tree=items[id,url,actions[parameters[name,value]]]")
        guard queueResponse.status == 200 else { throw self.client.failure(queueResponse, doing: "read the queue") }
        let queue = try Self.decode(JenkinsPayloads.Queue.self, queueResponse, what: "the queue")
        if let item = queue.items.first(where: isOurs), let id = item.id {
            return (self.client.rebase("/queue/item/\(id)/"), nil)
        }
        let buildsResponse = try await self.client.get(jobPath + "/api/json?tree=builds[number,url,queueId,actions[parameters[name,value]]]")
        guard buildsResponse.status == 200 else { throw self.client.failure(buildsResponse, doing: "list the builds of `\(self.settings.job)`") }
        let builds = try Self.decode(JenkinsPayloads.JobBuilds.self, buildsResponse, what: "the job's builds")
        if let build = builds.builds?.first(where: isOurs), let url = build.url {
            return (self.client.rebase("/queue/item/\(build.queueId ?? 0)/"), self.client.rebase(url))
        }
        return nil
    }

    // MARK: Follow

    package func status(jobId: String, handles: inout TrainingHandles) async throws -> TrainingJobStatus {
        var links: [String: String] = ["queue_item": jobId]
        guard let buildURL = try await self.buildURL(queueURL: jobId, handles: &handles, links: &links) else {
            return TrainingJobStatus(job: jobId, status: .queued, links: links)
        }
        if case .cancelled(let message) = buildURL {
            return TrainingJobStatus(job: jobId, status: .failed, error: message, result: "CANCELLED", links: links)
        }
        guard case .build(let url) = buildURL else { return TrainingJobStatus(job: jobId, status: .queued, links: links) }
        links["build"] = url
        links["console"] = url + "console"
        let response = try await self.client.get(url + "api/json?tree=number,url,building,result,queueId,artifacts[relativePath]")
        guard response.status == 200 else { throw self.client.failure(response, doing: "read build \(url)") }
        let build = try Self.decode(JenkinsPayloads.Build.self, response, what: "build \(url)")
        guard !build.building, let result = build.result else {
            return TrainingJobStatus(job: jobId, status: .running, links: links)
        }
        switch result {
        case "SUCCESS", "UNSTABLE":
            // An unstable build still archived its artifacts; a pipeline may map `unstable` to evaluation.
            do {
                let metrics = try await self.metrics(buildURL: url)
                let modelURI = metrics.modelURI ?? self.settings.modelArtifact.map { url + "artifact/" + $0 } ?? url
                return TrainingJobStatus(
                    job: jobId, status: result == "SUCCESS" ? .succeeded : .failed,
                    metrics: .init(challenger: metrics.challenger, champion: metrics.champion), modelURI: modelURI,
                    error: result == "SUCCESS" ? nil : "build finished UNSTABLE", holdoutRows: metrics.holdoutRows, result: result, links: links)
            } catch let error as TrainerError where result == "UNSTABLE" && !error.isTransient {
                return TrainingJobStatus(
                    job: jobId, status: .failed, error: "build finished UNSTABLE; \(error.message)", result: result, links: links)
            }
        default:
            return TrainingJobStatus(
                job: jobId, status: .failed, error: "build \(build.number) finished \(result); console: \(url)console", result: result, links: links)
        }
    }

    enum BuildLocation {
        case build(String)
        case cancelled(String)
    }

    /// The build the queue item became, recorded once known; nil while the item waits.
    private func buildURL(queueURL: String, handles: inout TrainingHandles, links: inout [String: String]) async throws -> BuildLocation? {
        if let build = handles[Self.buildHandle] { return .build(build) }
        let response = try await self.client.get(queueURL + "api/json")
        switch response.status {
        case 200:
            let item = try Self.decode(JenkinsPayloads.QueueItem.self, response, what: "queue item \(queueURL)")
            if item.cancelled == true {
                return .cancelled("the queue item was cancelled in Jenkins before its build started")
            }
            guard let executable = item.executable else {
                if let why = item.why { links["why"] = why }
                return nil
            }
            let url = self.client.rebase(executable.url.hasSuffix("/") ? executable.url : executable.url + "/")
            try await handles.record(Self.buildHandle, url)
            return .build(url)
        case 404:
            // Jenkins forgets a left item about five minutes after its build starts (and on restart): find the
            // build by the item's id instead.
            guard let queueId = Self.queueId(in: queueURL) else { throw self.client.failure(response, doing: "read queue item \(queueURL)") }
            let jobPath = self.client.jobPath(self.settings.job)
            let builds = try await self.client.get(jobPath + "/api/json?tree=builds[number,url,queueId]")
            guard builds.status == 200 else { throw self.client.failure(builds, doing: "list the builds of `\(self.settings.job)`") }
            let list = try Self.decode(JenkinsPayloads.JobBuilds.self, builds, what: "the job's builds")
            guard let match = list.builds?.first(where: { $0.queueId == queueId }), let url = match.url else {
                return .cancelled(
                    "queue item \(queueId) is gone from Jenkins (expired, cancelled or lost in a restart) and no build of `\(self.settings.job)` came from it"
                )
            }
            let rebased = self.client.rebase(url.hasSuffix("/") ? url : url + "/")
            try await handles.record(Self.buildHandle, rebased)
            return .build(rebased)
        default:
            throw self.client.failure(response, doing: "read queue item \(queueURL)")
        }
    }

    private func metrics(buildURL: String) async throws -> JenkinsPayloads.MetricsArtifact {
        let path = self.settings.metricsArtifact.split(separator: "/").map {
            $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0)
        }.joined(separator: "/")
        let response = try await self.client.get(buildURL + "artifact/" + path)
        guard response.status == 200 else {
            if response.status == 404 {
                throw TrainerError(
                    "build \(buildURL) archived no `\(self.settings.metricsArtifact)`; the job must archiveArtifacts it with challenger and champion metrics",
                    isTransient: false)
            }
            throw self.client.failure(response, doing: "read artifact \(self.settings.metricsArtifact)")
        }
        return try Self.decode(
            JenkinsPayloads.MetricsArtifact.self, response,
            what: "artifact \(self.settings.metricsArtifact) (expected {\"challenger\": {...}, \"champion\": {...}})")
    }

    // MARK: Abort

    package func abort(jobId: String, handles: TrainingHandles) async throws -> Bool {
        if let build = handles[Self.buildHandle] {
            // Jenkins answers 302 back to the page, even when nothing runs; some versions 200.
            let response = try await self.client.post(build + "stop")
            guard [200, 302, 303].contains(response.status) else { throw self.client.failure(response, doing: "stop build \(build)") }
            return true
        }
        guard let queueId = Self.queueId(in: jobId) else { return false }
        let response = try await self.client.post("/queue/cancelItem?id=\(queueId)")
        // 404: the item already left the queue; its build is not known yet, so nothing can be stopped here.
        guard [200, 204, 302].contains(response.status) else {
            if response.status == 404 || response.status == 422 { return false }
            throw self.client.failure(response, doing: "cancel queue item \(queueId)")
        }
        return true
    }

    static func queueId(in url: String) -> Int? {
        guard let match = url.firstMatch(of: /\/queue\/item\/(\d+)\/?$/) else { return nil }
        return Int(match.1)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse, what: String) throws -> T {
        do {
            return try response.decode(type)
        } catch {
            throw TrainerError("Jenkins sent \(what) in a form driftloop cannot read (\(error)): \(response.text.prefix(200))", isTransient: false)
        }
    }
}
