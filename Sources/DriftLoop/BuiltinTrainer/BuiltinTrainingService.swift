import Dispatch
import DriftStats
import Foundation
import Logging

/// The built-in trainer behind the HTTP trainer protocol: trains a softmax regression on the pipeline's
/// data and scores challenger and champion on the same holdout.
///
/// Jobs are files under `<directory>/jobs`, so a restarted trainer still answers for them; a job that was
/// running when the process died is run again under the same id (training is deterministic). Replicas sharing a
/// data directory each run a trainer over the same files: a job or key this one has not seen is looked up on disk,
/// so a replica that took over a pipeline answers for the jobs the previous holder started.
package actor BuiltinTrainingService {
    private let directory: String
    private let logger: Logger
    private var jobs: [String: StoredJob] = [:]
    /// Jobs training now, each waiting for its result on the work queue.
    private var trainingTasks: [String: Task<Void, Never>] = [:]
    /// Training is CPU-bound; it runs here, off Swift's cooperative pool.
    private let workQueue = DispatchQueue(label: "driftloop.builtin-trainer")

    private let policy: TrainingRequestPolicy

    struct StoredJob: Codable {
        var idempotencyKey: String
        var request: TrainingRequest
        var status: TrainingJobStatus
        /// SHA-256 of the request body that created the job; nil for jobs stored before digests were kept.
        var requestDigest: String?
    }

    /// What `submit` did with a request.
    package enum Submission: Sendable {
        case created(TrainingJobStatus, requestDigest: String)
        /// The key was seen before with the same request: the existing job.
        case existing(TrainingJobStatus, requestDigest: String)
    }

    /// `policy` says which data each pipeline may have read; every request is held to it.
    package init(directory: String, policy: TrainingRequestPolicy, logger: Logger) throws {
        self.directory = directory
        self.policy = policy
        self.logger = logger
        let jobsDirectory = (directory as NSString).appendingPathComponent("jobs")
        // Jobs hold data locations and errors, models hold what was learnt from the data: owner-only.
        try PrivateDirectory.create(directory)
        try PrivateDirectory.create(jobsDirectory)
        try PrivateDirectory.create((directory as NSString).appendingPathComponent("models"))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: jobsDirectory)) ?? [] where name.hasSuffix(".json") {
            let path = (jobsDirectory as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path), let job = try? JSONDecoder().decode(StoredJob.self, from: data) {
                self.jobs[job.status.job] = job
            }
        }
    }

    /// Runs again every job that a previous process left unfinished.
    package func resumeUnfinished() {
        for job in self.jobs.values where job.status.status == .queued || job.status.status == .running {
            self.launch(job.status.job)
        }
    }

    /// Submits a job whose body hashed to `requestDigest`. The same idempotency key with the same request returns the
    /// existing job; with a different request it is refused, so nobody can plant a job under a cycle's key for the
    /// controller to adopt.
    package func submit(_ request: TrainingRequest, idempotencyKey: String, requestDigest: String) throws(TrainingSubmitError) -> Submission {
        do {
            try self.policy.check(request)
        } catch {
            throw .refused(error)
        }
        guard TrainingRequestPolicy.isIdentifier(idempotencyKey) else {
            throw .refused(
                TrainingRequestRefusal(field: "Idempotency-Key", message: "the idempotency key must be 1 to 128 letters, digits, `-`, `_` or `.`"))
        }
        let existing =
            self.jobs.values.first(where: { $0.idempotencyKey == idempotencyKey })
            ?? self.adoptFromDisk(where: { $0.idempotencyKey == idempotencyKey })
        if let existing {
            guard existing.requestDigest == requestDigest else { throw .conflict(job: existing.status.job) }
            return .existing(existing.status, requestDigest: requestDigest)
        }
        let id = "job-" + UUID().uuidString.lowercased().prefix(12)
        let job = StoredJob(
            idempotencyKey: idempotencyKey, request: request, status: TrainingJobStatus(job: String(id), status: .queued),
            requestDigest: requestDigest)
        do {
            try self.persist(job)
        } catch {
            throw .notStored("\(error)")
        }
        self.jobs[job.status.job] = job
        self.launch(job.status.job)
        return .created(job.status, requestDigest: requestDigest)
    }

    package func status(jobId: String) -> TrainingJobStatus? {
        guard let job = self.jobs[jobId] ?? self.adoptFromDisk(where: { $0.status.job == jobId }) else { return nil }
        var status = job.status
        status.requestDigest = job.requestDigest
        return status
    }

    /// A job another process (an earlier one, or a replica that died) wrote: taken over, and run again under its id
    /// when it was unfinished.
    private func adoptFromDisk(where matches: (StoredJob) -> Bool) -> StoredJob? {
        let jobsDirectory = (self.directory as NSString).appendingPathComponent("jobs")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: jobsDirectory)) ?? [] where name.hasSuffix(".json") {
            let id = String(name.dropLast(".json".count))
            guard self.jobs[id] == nil, let data = FileManager.default.contents(atPath: (jobsDirectory as NSString).appendingPathComponent(name)),
                let job = try? JSONDecoder().decode(StoredJob.self, from: data), matches(job)
            else { continue }
            self.jobs[id] = job
            self.logger.notice(
                "took over a training job written by another process", metadata: ["job": "\(id)", "status": "\(job.status.status.rawValue)"])
            if job.status.status == .queued || job.status.status == .running { self.launch(id) }
            return self.jobs[id]
        }
        return nil
    }

    private func launch(_ id: String) {
        guard var job = self.jobs[id] else { return }
        job.status.status = .running
        self.jobs[id] = job
        try? self.persist(job)
        let request = job.request
        let modelPath = (self.directory as NSString).appendingPathComponent("models/\(id).json")
        let queue = self.workQueue
        // Training is CPU work on the service's own queue, off the cooperative pool; this task only waits for it and
        // records the result. The service keeps it until then (a job that outlives the process resumes from disk).
        self.trainingTasks[id] = Task {
            let result: Result<TrainingJobStatus, any Error> = await withCheckedContinuation { continuation in
                queue.async {
                    continuation.resume(returning: Result { try BuiltinTraining.run(request, jobId: id, modelPath: modelPath) })
                }
            }
            self.finish(id, result: result)
        }
    }

    private func finish(_ id: String, result: Result<TrainingJobStatus, any Error>) {
        self.trainingTasks[id] = nil
        guard var job = self.jobs[id] else { return }
        switch result {
        case .success(let status):
            job.status = status
            self.logger.info(
                "training job succeeded", metadata: ["job": "\(id)", "pipeline": "\(job.request.pipeline)", "cycle": "\(job.request.cycleId)"])
        case .failure(let error):
            job.status.status = .failed
            // Training errors say what is wrong without quoting the data (see BuiltinTraining), and file errors name a
            // path of the trainer's own and the system's reason; anything else is named by its type only.
            let message: String
            switch error {
            case let error as TrainerError: message = error.message
            case let error as AtomicFileError: message = "training stopped: \(error)"
            case let error as POSIXError: message = "training stopped: \(String(cString: strerror(error.code.rawValue)))"
            default: message = "training stopped: \(String(describing: type(of: error)))"
            }
            job.status.error = message
            self.logger.warning("training job failed", metadata: ["job": "\(id)", "pipeline": "\(job.request.pipeline)", "error": "\(message)"])
        }
        self.jobs[id] = job
        do {
            try self.persist(job)
        } catch {
            self.logger.error("cannot persist training job", metadata: ["job": "\(id)", "error": "\(error)"])
        }
    }

    private func persist(_ job: StoredJob) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let path = (self.directory as NSString).appendingPathComponent("jobs/\(job.status.job).json")
        try AtomicFile.write(try encoder.encode(job), to: path, permissions: 0o600)
    }
}

/// Why the built-in trainer did not take a job.
package enum TrainingSubmitError: Error, Sendable {
    /// The request asks for something its pipeline does not declare (answered 400/403, naming the field).
    case refused(TrainingRequestRefusal)
    /// The idempotency key belongs to a job created from a different request (answered 409).
    case conflict(job: String)
    /// The job could not be written down (answered 500; nothing was started).
    case notStored(String)
}

/// The training computation itself, synchronous and pure apart from reading data and writing the model.
enum BuiltinTraining {
    static func run(_ request: TrainingRequest, jobId: String, modelPath: String) throws -> TrainingJobStatus {
        let reference = try TrainingTable.load(path: request.data.reference)
        let current = try TrainingTable.load(path: request.data.current)
        // Errors name positions and counts, never values read from the files: a job's error is stored, logged and
        // answered to whoever asked, and must not become a way to read a file.
        guard reference.header == current.header else {
            let shared = min(reference.header.count, current.header.count)
            let first = (0..<shared).first { reference.header[$0] != current.header[$0] } ?? shared
            throw TrainerError(
                "reference and current data have different columns: \(reference.header.count) and \(current.header.count) columns, first differing at column \(first + 1)",
                isTransient: false)
        }
        guard let targetIndex = reference.column(named: request.target) else {
            throw TrainerError("the target column named in the pipeline (data.target) is not in the data's header", isTransient: false)
        }
        let table = TrainingTable(header: reference.header, rows: reference.rows + current.rows)
        let features = request.features ?? reference.header.filter { $0 != request.target }

        // Hold out a quarter of the *current* data: the model that should win is the one that does best
        // on what production sees now. Everything else trains the challenger.
        var generator = SplitMix64(seed: UInt64(request.params["seed"].flatMap(Int.init) ?? 42))
        var currentRows = Array(reference.rows.count..<table.rows.count)
        currentRows.shuffle(using: &generator)
        var holdoutCount = currentRows.count / 4
        var holdout = Array(currentRows.prefix(holdoutCount))
        var training = Array(0..<reference.rows.count) + currentRows.dropFirst(holdoutCount)
        if holdout.count < 4 {
            var all = Array(0..<table.rows.count)
            all.shuffle(using: &generator)
            holdoutCount = max(1, all.count / 4)
            holdout = Array(all.prefix(holdoutCount))
            training = Array(all.dropFirst(holdoutCount))
        }
        let classes = Array(Set(training.map { table.rows[$0][targetIndex] })).sorted()
        guard classes.count >= 2 else {
            throw TrainerError("the target column has fewer than two classes in the training data", isTransient: false)
        }
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let encoder = FeatureEncoder.fit(table: table, rows: training, features: features)
        let inputs = training.map { encoder.encode(row: table.rows[$0], header: table.header) }
        let labels = training.map { classIndex[table.rows[$0][targetIndex]]! }
        let iterations = request.params["iterations"].flatMap(Int.init) ?? 400
        let regression = SoftmaxRegression.fit(inputs: inputs, labels: labels, classCount: classes.count, iterations: iterations, classes: classes)
        let model = BuiltinModel(target: request.target, features: features, encoder: encoder, regression: regression)

        let holdoutLabels = holdout.map { classIndex[table.rows[$0][targetIndex]] ?? -1 }
        let challengerMetrics = HoldoutMetrics.compute(
            probabilities: model.predictProbabilities(table: table, rows: holdout), labels: holdoutLabels, classCount: classes.count)

        var championMetrics: [String: Double]? = nil
        if let champion = request.champion, let championModel = Self.loadModel(uri: champion.modelURI) {
            let championClassIndex = Dictionary(uniqueKeysWithValues: championModel.regression.classes.enumerated().map { ($1, $0) })
            let championLabels = holdout.map { championClassIndex[table.rows[$0][targetIndex]] ?? -1 }
            championMetrics = HoldoutMetrics.compute(
                probabilities: championModel.predictProbabilities(table: table, rows: holdout), labels: championLabels,
                classCount: championModel.regression.classes.count)
        }

        let encoderJSON = JSONEncoder()
        encoderJSON.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoderJSON.encode(model), to: modelPath, permissions: 0o600)
        return TrainingJobStatus(
            job: jobId, status: .succeeded, metrics: .init(challenger: challengerMetrics, champion: championMetrics),
            modelURI: URL(fileURLWithPath: modelPath).absoluteString, error: nil, holdoutRows: holdout.count)
    }

    static func loadModel(uri: String) -> BuiltinModel? {
        guard let url = URL(string: uri), url.isFileURL, let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(BuiltinModel.self, from: data)
    }
}
