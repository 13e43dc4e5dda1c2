import Dispatch
import Foundation
import Logging

/// The built-in trainer behind the HTTP trainer protocol: trains a softmax regression on the pipeline's
/// data and scores challenger and champion on the same holdout.
///
/// Jobs are files under `<directory>/jobs`, so a restarted trainer still answers for them; a job that was
/// running when the process died is run again under the same id (training is deterministic). Replicas sharing a
/// data directory each run a trainer over the same files: a job or key this one has not seen is looked up on disk,
/// so a replica that took over a pipeline answers for the jobs the previous holder started.
public actor BuiltinTrainingService {
    private let directory: String
    private let logger: Logger
    private var jobs: [String: StoredJob] = [:]
    /// Training is CPU-bound; it runs here, off Swift's cooperative pool.
    private let workQueue = DispatchQueue(label: "driftloop.builtin-trainer")

    struct StoredJob: Codable {
        var idempotencyKey: String
        var request: TrainingRequest
        var status: TrainingJobStatus
    }

    public init(directory: String, logger: Logger) throws {
        self.directory = directory
        self.logger = logger
        let jobsDirectory = (directory as NSString).appendingPathComponent("jobs")
        try FileManager.default.createDirectory(atPath: jobsDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: (directory as NSString).appendingPathComponent("models"), withIntermediateDirectories: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: jobsDirectory)) ?? [] where name.hasSuffix(".json") {
            let path = (jobsDirectory as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path), let job = try? JSONDecoder().decode(StoredJob.self, from: data) {
                self.jobs[job.status.job] = job
            }
        }
    }

    /// Runs again every job that a previous process left unfinished.
    public func resumeUnfinished() {
        for job in self.jobs.values where job.status.status == .queued || job.status.status == .running {
            self.launch(job.status.job)
        }
    }

    /// Submits a job; the same idempotency key returns the existing job and `false` for "created".
    public func submit(_ request: TrainingRequest, idempotencyKey: String) throws -> (status: TrainingJobStatus, created: Bool) {
        if let existing = self.jobs.values.first(where: { $0.idempotencyKey == idempotencyKey }) {
            return (existing.status, false)
        }
        if let adopted = self.adoptFromDisk(where: { $0.idempotencyKey == idempotencyKey }) {
            return (adopted.status, false)
        }
        let id = "job-" + UUID().uuidString.lowercased().prefix(12)
        let job = StoredJob(idempotencyKey: idempotencyKey, request: request, status: TrainingJobStatus(job: String(id), status: .queued))
        try self.persist(job)
        self.jobs[job.status.job] = job
        self.launch(job.status.job)
        return (job.status, true)
    }

    public func status(jobId: String) -> TrainingJobStatus? {
        if let job = self.jobs[jobId] { return job.status }
        return self.adoptFromDisk(where: { $0.status.job == jobId })?.status
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
            self.logger.notice("took over a training job written by another process", metadata: ["job": "\(id)", "status": "\(job.status.status.rawValue)"])
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
        Task {
            let result: Result<TrainingJobStatus, any Error> = await withCheckedContinuation { continuation in
                queue.async {
                    continuation.resume(returning: Result { try BuiltinTraining.run(request, jobId: id, modelPath: modelPath) })
                }
            }
            self.finish(id, result: result)
        }
    }

    private func finish(_ id: String, result: Result<TrainingJobStatus, any Error>) {
        guard var job = self.jobs[id] else { return }
        switch result {
        case .success(let status):
            job.status = status
            self.logger.info("training job succeeded", metadata: ["job": "\(id)", "pipeline": "\(job.request.pipeline)", "cycle": "\(job.request.cycleId)"])
        case .failure(let error):
            job.status.status = .failed
            job.status.error = "\(error)"
            self.logger.warning("training job failed", metadata: ["job": "\(id)", "pipeline": "\(job.request.pipeline)", "error": "\(error)"])
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
        try AtomicFile.write(try encoder.encode(job), to: path)
    }
}

/// The training computation itself, synchronous and pure apart from reading data and writing the model.
enum BuiltinTraining {
    static func run(_ request: TrainingRequest, jobId: String, modelPath: String) throws -> TrainingJobStatus {
        let reference = try TrainingTable.load(path: request.data.reference)
        let current = try TrainingTable.load(path: request.data.current)
        guard reference.header == current.header else {
            throw TrainerError("reference and current data have different columns: \(reference.header) vs \(current.header)", isTransient: false)
        }
        guard let targetIndex = reference.column(named: request.target) else {
            throw TrainerError("target column `\(request.target)` is not in the data; columns: \(reference.header.joined(separator: ", "))", isTransient: false)
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
            throw TrainerError("target `\(request.target)` has fewer than two classes in the training data", isTransient: false)
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
        try AtomicFile.write(try encoderJSON.encode(model), to: modelPath)
        return TrainingJobStatus(
            job: jobId, status: .succeeded, metrics: .init(challenger: challengerMetrics, champion: championMetrics),
            modelURI: URL(fileURLWithPath: modelPath).absoluteString, error: nil, holdoutRows: holdout.count)
    }

    static func loadModel(uri: String) -> BuiltinModel? {
        guard let url = URL(string: uri), url.isFileURL, let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(BuiltinModel.self, from: data)
    }
}

/// A small seeded generator, so a job's split is the same every time it runs.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
