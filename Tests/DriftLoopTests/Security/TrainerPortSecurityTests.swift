import CurlHTTP
import Foundation
import Hummingbird
import Testing

@testable import DriftLoop
@testable import DriftLoopServer

/// Findings 1 and 2 of the hostile probe: the built-in trainer's loopback port took requests from anyone, read any
/// file they named and quoted it back; and a job planted under a cycle's idempotency key was adopted and promoted.
@Suite struct TrainerPortSecurityTests {
    static let secret = "PROBE_SECRET_VALUE_7f3a"

    /// The probe's request: the server's own environment as "reference data".
    static func hostileBody(pipeline: String = "churn", reference: String = "/proc/self/environ", params: [String: String] = [:]) -> Data {
        let request: JSONValue = [
            "cycle_id": "probe-1", "pipeline": .string(pipeline), "model_name": "churn-model",
            "data": ["reference": .string(reference), "current": "/etc/hostname"], "target": "churned",
            "params": .object(params.mapValues(JSONValue.string)),
        ]
        return Data(request.jsonText.utf8)
    }

    static func post(_ url: String, _ body: Data, token: String?, key: String = "probe-1") async throws -> (status: Int, json: JSONValue) {
        let response = try await CurlHTTPClient().send(
            CurlHTTP.HTTPRequest(
                method: "POST", url: url + "/train", headers: [("Content-Type", "application/json"), ("Idempotency-Key", key)], body: body,
                authentication: token.map { .bearer(token: $0) } ?? .none))
        return (response.status, JSONValue.parse(response.text) ?? .null)
    }

    static func jobFiles(_ directory: TemporaryDirectory) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.file("data/trainer/jobs"))) ?? []
    }

    @Test func theTrainerPortRefusesCallersWithoutTheControllersSecretAndStoresNothing() async throws {
        let directory = TemporaryDirectory()
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20, directory: directory) { endpoints, _ in
            let trainer = "http://127.0.0.1:\(endpoints.trainerPort)"
            let anonymous = try await Self.post(trainer, Self.hostileBody(), token: nil)
            #expect(anonymous.status == 401)
            #expect(anonymous.json["error"]?["field"]?.stringValue == "Authorization")
            let guessed = try await Self.post(trainer, Self.hostileBody(), token: "guess")
            #expect(guessed.status == 401)
            let status = try await CurlHTTPClient().send(CurlHTTP.HTTPRequest(url: trainer + "/jobs/anything"))
            #expect(status.status == 401, "job status is not readable without the secret either")
            #expect(Self.jobFiles(directory).isEmpty, "nothing was stored")
        }
    }

    @Test func evenWithTheSecretTheTrainerReadsOnlyDeclaredDataAndBoundedParams() async throws {
        let directory = TemporaryDirectory()
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20, directory: directory) { endpoints, _ in
            let trainer = "http://127.0.0.1:\(endpoints.trainerPort)"
            let token = endpoints.trainerToken
            let environ = try await Self.post(trainer, Self.hostileBody(), token: token)
            #expect(environ.status == 403)
            #expect(environ.json["error"]?["field"]?.stringValue == "data")
            // A forged pipeline name (a newline forges a log line) is not a declared pipeline.
            let forged = try await Self.post(trainer, Self.hostileBody(pipeline: "churn\n2026-12-07 critical driftloop: FAKE"), token: token)
            #expect(forged.status == 403)
            #expect(forged.json["error"]?["field"]?.stringValue == "pipeline")
            let refusal = forged.json["error"]?["message"]?.stringValue ?? ""
            #expect(!refusal.contains("FAKE"), "the refusal does not quote the forged value")
            let declared = Self.hostileBody(reference: TestData.reference)
            let data = try #require(JSONValue.parse(String(decoding: declared, as: UTF8.self)))
            var heavy = data
            heavy = .object((heavy.objectValue ?? [:]).merging(["params": ["iterations": "20000"]]) { $1 })
            heavy = .object(
                (heavy.objectValue ?? [:]).merging(["data": ["reference": .string(TestData.reference), "current": .string(TestData.current)]]) { $1 })
            let capped = try await Self.post(trainer, Data(heavy.jsonText.utf8), token: token)
            #expect(capped.status == 400)
            #expect(capped.json["error"]?["field"]?.stringValue == "params.iterations")
            #expect(Self.jobFiles(directory).isEmpty, "no refused request left a job behind")
        }
    }

    @Test func aTrainingErrorNeverQuotesTheDataItRead() throws {
        let directory = TemporaryDirectory()
        let reference = directory.write("reference.csv", "a,churned\n1,0\n2,1\n")
        let current = directory.write("current.csv", "\(Self.secret),churned\n1,0\n2,1\n")
        let request = TrainingRequest(
            cycleId: "c1", pipeline: "p", modelName: "m", data: .init(reference: reference, current: current), target: "churned", features: nil,
            champion: nil, params: [:], reason: nil, cycleURL: nil)
        #expect {
            try BuiltinTraining.run(request, jobId: "job-1", modelPath: directory.file("model.json"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("first differing at column 1") && !text.contains(Self.secret)
        }
        let missingTarget = directory.write("current2.csv", "a,\(Self.secret)\n1,0\n")
        var other = request
        other.data = .init(reference: missingTarget, current: missingTarget)
        #expect {
            try BuiltinTraining.run(other, jobId: "job-2", modelPath: directory.file("model2.json"))
        } throws: { error in !"\(error)".contains(Self.secret) }
    }

    @Test func jobsAndModelsAreOwnerOnly() async throws {
        let directory = TemporaryDirectory()
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20, directory: directory) { _, client in
            let accepted = try await client.post("/v1/pipelines/churn/retrain", ["force": true])
            let cycle = try #require(accepted.json["cycle_id"]?.stringValue)
            _ = try await client.waitForEnd(cycle)
        }
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        }
        let jobs = Self.jobFiles(directory)
        #expect(jobs.count == 1)
        for job in jobs { #expect(try mode(directory.file("data/trainer/jobs/\(job)")) == 0o600) }
        #expect(try mode(directory.file("data/trainer/jobs")) == 0o700)
        #expect(try mode(directory.file("data")) == 0o700)
        #expect(try mode(directory.file("data/driftloop.sqlite")) == 0o600)
        let models = try FileManager.default.contentsOfDirectory(atPath: directory.file("data/trainer/models"))
        for model in models { #expect(try mode(directory.file("data/trainer/models/\(model)")) == 0o600) }
        let registry = try #require(FileManager.default.enumerator(atPath: directory.file("data/registry"))?.allObjects as? [String])
        for entry in registry {
            let path = directory.file("data/registry/\(entry)")
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            #expect(try mode(path) == (isDirectory.boolValue ? 0o700 : 0o600), "\(entry)")
        }
    }

    /// Finding 2: a job planted under a cycle's key (here with other data, as the probe's label-inverted CSVs were) is
    /// refused by the trainer, and the controller's trainer client refuses to adopt a job it cannot prove is its own.
    @Test func aJobPlantedUnderACyclesKeyIsNeverAdopted() async throws {
        try await LiveServer.run(pipelineYAML: TestData.pipelineYAML(), maxBodyBytes: 1 << 20) { endpoints, _ in
            let url = "http://127.0.0.1:\(endpoints.trainerPort)"
            let genuine = TrainingRequest(
                cycleId: "cycle-under-attack", pipeline: "churn", modelName: "churn-model",
                data: .init(reference: TestData.reference, current: TestData.current), target: "churned", features: nil, champion: nil,
                params: [:], reason: "drift", cycleURL: nil)
            var planted = genuine
            planted.params = ["seed": "666"]
            // Planted first (here even with the secret, the strongest case).
            let plantedAnswer = try await Self.post(url, Data(try JSONEncoder().encode(planted)), token: endpoints.trainerToken, key: genuine.cycleId)
            #expect(plantedAnswer.status == 202)
            let trainer = HTTPTrainer(baseURL: url, token: endpoints.trainerToken, client: CurlHTTPClient(), requiresDigest: true)
            await #expect {
                _ = try await trainer.start(genuine, idempotencyKey: genuine.cycleId)
            } throws: { error in
                "\(error)".contains("refusing to adopt")
            }
            // The planted request itself, sent again, is its own job: idempotency still holds for the same request.
            let again = try await Self.post(url, Data(try JSONEncoder().encode(planted)), token: endpoints.trainerToken, key: genuine.cycleId)
            #expect(again.status == 200)
            #expect(again.json["job"] == plantedAnswer.json["job"])
            // The genuine request under a fresh key is trained, and its digest confirmed.
            let job = try await trainer.start(genuine, idempotencyKey: "cycle-fresh")
            #expect(try await trainer.status(jobId: job).requestDigest == TrainingRequestDigest.digest(of: genuine))
        }
    }

    /// A third-party HTTP trainer that does not refuse a reused key but answers with the digest of the job it holds:
    /// the controller's client refuses that job; one that sends no digest is refused only where digests are required.
    @Test func anAnswerWithAnotherRequestsDigestIsRefused() async throws {
        let router = Router()
        router.post("/wrong/train") { _, _ in try JSONResponse.make(["job": "job-x", "request_digest": String(repeating: "ab", count: 32)]) }
        router.post("/silent/train") { _, _ in try JSONResponse.make(["job": "job-y"]) }
        try await TestHTTPServer.run(router) { base in
            let request = TrainingRequest(
                cycleId: "c-9", pipeline: "churn", modelName: "m", data: .init(reference: "/r.csv", current: "/c.csv"), target: "y", features: nil,
                champion: nil, params: [:], reason: nil, cycleURL: nil)
            await #expect {
                _ = try await HTTPTrainer(baseURL: base + "/wrong", client: CurlHTTPClient()).start(request, idempotencyKey: "c-9")
            } throws: { "\($0)".contains("made from a different request") }
            await #expect {
                _ = try await HTTPTrainer(baseURL: base + "/silent", client: CurlHTTPClient(), requiresDigest: true).start(
                    request, idempotencyKey: "c-9")
            } throws: { "\($0)".contains("did not confirm the request digest") }
            let tolerant = HTTPTrainer(baseURL: base + "/silent", client: CurlHTTPClient())
            let tolerated = try await tolerant.start(request, idempotencyKey: "c-9")
            #expect(tolerated == "job-y", "a trainer without digests still works where none is required")
        }
    }

    @Test func theDigestIsTheCanonicalJSONThatPythonWritesToo() {
        let request = TrainingRequest(
            cycleId: "c-1", pipeline: "churn", modelName: "m", data: .init(reference: "/data/ref é.csv", current: "https://x/cur?a=1&b=\"2\""),
            target: "y", features: ["a", "b\n"], champion: .init(version: "3", modelURI: "file:///m/3.json"), params: ["seed": "42", "α": "\u{01}"],
            reason: "ignored", cycleURL: "ignored too")
        #expect(
            TrainingRequestDigest.canonicalJSON(of: request)
                == #"{"champion":{"model_uri":"file:///m/3.json","version":"3"},"cycle_id":"c-1","data":{"current":"https://x/cur?a=1&b=\"2\"","reference":"/data/ref é.csv"},"features":["a","b\n"],"model_name":"m","params":{"seed":"42","α":"\u0001"},"pipeline":"churn","target":"y"}"#
        )
        // The same value examples/sklearn-trainer/test_sklearn_trainer.py checks Python's json.dumps against.
        #expect(TrainingRequestDigest.digest(of: request) == Self.crossLanguageDigest)
    }

    static let crossLanguageDigest = "11395e2292c4c4835d7034b12066c2c7cb062a1ae0a490dc4c4818af2b5c34af"
}
