import Foundation
import Logging
import Testing

@testable import DriftLoop

/// A fresh folder per test, removed at the end.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        self.path = NSTemporaryDirectory() + "driftloop-test-" + UUID().uuidString.prefix(8)
        try! FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (self.path as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ text: String) -> String {
        let path = self.file(name)
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    deinit { try? FileManager.default.removeItem(atPath: self.path) }
}

enum TestData {
    /// The repository's sample data (reference and a drifted current batch).
    static let churnDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("pipelines/data/churn").path
    }()
    static var reference: String { TestData.churnDirectory + "/reference.csv" }
    static var current: String { TestData.churnDirectory + "/current.csv" }
    static var examplePipeline: String { TestData.churnDirectory + "/../../example.yaml" }

    static let quietLogger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// The example graph with knobs the tests turn. detect and train may take 2 minutes: they never do, but when the
    /// debug-built suite starts, two threads serve every test at once, and a cycle can wait its turn for tens of seconds.
    static func pipelineYAML(
        name: String = "churn", current: String = TestData.current, cooldown: String = "10m", awaitTimeout: String = "30s",
        retryAttempts: Int = 3, minImprovement: Double = 0.0, trainer: String = "{kind: builtin, poll: 20ms}", awaitPoll: String? = "20ms",
        awaitOutcomes: String = "succeeded: evaluate, failed: failed"
    ) -> String {
        """
        name: \(name)
        model: \(name)-model
        data: {reference: \(TestData.reference), current: \(current), target: churned}
        trainer: \(trainer)
        evaluation:
          primary: {metric: f1, direction: higher, min_improvement: \(minImprovement)}
          guards:
            - {metric: accuracy, max_regression: 0.02}
        cooldown: \(cooldown)
        states:
          detect:
            action: detect_drift
            timeout: 2m
            on: {drift: train, forced: train, no_drift: no_drift}
          train:
            action: start_training
            timeout: 2m
            retry: {attempts: \(retryAttempts), backoff: 10ms, max_backoff: 50ms}
            on: {started: await_training}
          await_training:
            action: await_training
            timeout: \(awaitTimeout)
            \(awaitPoll.map { "poll: \($0)" } ?? "")
            retry: {attempts: \(retryAttempts), backoff: 10ms, max_backoff: 50ms}
            on: {\(awaitOutcomes)}
          evaluate:
            action: evaluate
            on: {better: promote, not_better: reject}
          promote:
            action: promote
            on: {promoted: promoted}
          reject:
            action: reject
            on: {rejected: rejected}
          promoted: {terminal: promoted}
          rejected: {terminal: rejected}
          no_drift: {terminal: no_drift}
          failed: {terminal: failed}
          cancelled: {terminal: cancelled}
        """
    }

    static func pipeline(_ yaml: String, directory: TemporaryDirectory) throws -> PipelineDefinition {
        try PipelineLoader.parse(yaml, file: directory.file("churn.yaml"), defaultName: "churn", baseDirectory: directory.path)
    }
}

/// A trainer double that behaves like a real one (jobs keyed by idempotency key) and counts what it was asked.
actor FakeTrainer: Trainer {
    enum Behaviour: Sendable {
        case succeed(challenger: [String: Double], champion: [String: Double]?)
        case fail(String)
        /// Never finishes: for timeouts and cancellation.
        case runForever
    }

    var behaviour: Behaviour
    /// Transient errors to throw from `start` before accepting.
    var transientStartFailures: Int
    var permanentStartFailure: String?
    private(set) var jobsByKey: [String: String] = [:]
    private(set) var startCalls = 0
    private let modelFile: String
    /// How long a job runs before `status` reports its end.
    private var statusDelay: Duration = .zero
    private var jobStartedAt: [String: ContinuousClock.Instant] = [:]
    /// While held, every job reports `running`, whatever the time: for tests that must act while jobs run.
    private var holdingJobs = false

    func setStatusDelay(_ delay: Duration) { self.statusDelay = delay }
    func holdJobs(_ hold: Bool) { self.holdingJobs = hold }

    init(behaviour: Behaviour, directory: TemporaryDirectory, transientStartFailures: Int = 0, permanentStartFailure: String? = nil) {
        self.behaviour = behaviour
        self.transientStartFailures = transientStartFailures
        self.permanentStartFailure = permanentStartFailure
        self.modelFile = directory.write("model.json", "{\"format\":\"fake\"}")
    }

    var jobsCreated: Int { self.jobsByKey.count }

    func start(_ request: TrainingRequest, idempotencyKey: String) async throws -> String {
        self.startCalls += 1
        if let permanentStartFailure { throw TrainerError(permanentStartFailure, isTransient: false) }
        if self.transientStartFailures > 0 {
            self.transientStartFailures -= 1
            throw TrainerError("trainer answered 503", isTransient: true)
        }
        if let job = self.jobsByKey[idempotencyKey] { return job }
        let job = "job-\(self.jobsByKey.count + 1)"
        self.jobsByKey[idempotencyKey] = job
        self.jobStartedAt[job] = .now
        return job
    }

    func status(jobId: String) async throws -> TrainingJobStatus {
        guard self.jobsByKey.values.contains(jobId) else { throw TrainerError("no job \(jobId)", isTransient: false) }
        if self.holdingJobs { return TrainingJobStatus(job: jobId, status: .running) }
        if let started = self.jobStartedAt[jobId], ContinuousClock.now - started < self.statusDelay {
            return TrainingJobStatus(job: jobId, status: .running)
        }
        switch self.behaviour {
        case .succeed(let challenger, let champion):
            return TrainingJobStatus(
                job: jobId, status: .succeeded, metrics: .init(challenger: challenger, champion: champion),
                modelURI: URL(fileURLWithPath: self.modelFile).absoluteString, holdoutRows: 100)
        case .fail(let message):
            return TrainingJobStatus(job: jobId, status: .failed, error: message)
        case .runForever:
            return TrainingJobStatus(job: jobId, status: .running)
        }
    }
}

/// A store, a registry and a controller on a temporary directory. The store is in memory unless a test asks for
/// SQLite or PostgreSQL (`init(storeKind:)`), which the restart, durability and contract tests do.
struct ControllerHarness {
    let directory: TemporaryDirectory
    let store: any CycleStore
    let registry: BuiltinRegistry
    let trainer: FakeTrainer
    let pipeline: PipelineDefinition

    init(
        yaml: String = TestData.pipelineYAML(), behaviour: FakeTrainer.Behaviour = .succeed(challenger: ["f1": 0.8, "accuracy": 0.8], champion: nil),
        transientStartFailures: Int = 0, permanentStartFailure: String? = nil, directory: TemporaryDirectory = TemporaryDirectory()
    ) throws {
        try self.init(
            store: InMemoryCycleStore(), yaml: yaml, behaviour: behaviour, transientStartFailures: transientStartFailures,
            permanentStartFailure: permanentStartFailure, directory: directory)
    }

    /// The same on a store of the given kind (PostgreSQL: a fresh database).
    init(
        storeKind: TestStoreKind, yaml: String = TestData.pipelineYAML(),
        behaviour: FakeTrainer.Behaviour = .succeed(challenger: ["f1": 0.8, "accuracy": 0.8], champion: nil)
    ) async throws {
        let directory = TemporaryDirectory()
        try self.init(store: try await storeKind.open(directory: directory), yaml: yaml, behaviour: behaviour, directory: directory)
    }

    init(
        store: any CycleStore, yaml: String, behaviour: FakeTrainer.Behaviour, transientStartFailures: Int = 0, permanentStartFailure: String? = nil,
        directory: TemporaryDirectory
    ) throws {
        self.directory = directory
        self.store = store
        self.registry = BuiltinRegistry(directory: directory.file("registry"))
        self.trainer = FakeTrainer(
            behaviour: behaviour, directory: directory, transientStartFailures: transientStartFailures, permanentStartFailure: permanentStartFailure)
        self.pipeline = try TestData.pipeline(yaml, directory: directory)
    }

    func makeController(observer: PipelineController.TransitionObserver? = nil, clock: any ControllerClock = SystemClock()) -> PipelineController {
        PipelineController(
            pipeline: self.pipeline,
            services: PipelineServices(trainer: self.trainer, registry: self.registry, dataLoader: DataLoader(client: .init())),
            store: self.store, logger: TestData.quietLogger, observer: observer, clock: clock)
    }

    /// Runs one trigger's cycle to its end and returns the stored cycle.
    func runCycle(_ trigger: Trigger = Trigger(kind: .driftWebhook, reason: "test"), controller: PipelineController? = nil) async throws
        -> CycleRecord
    {
        let controller = controller ?? self.makeController()
        let acceptance = try await controller.submit(trigger)
        await controller.waitForCycle(acceptance.cycleId)
        return try #require(try await self.store.cycle(id: acceptance.cycleId))
    }

    func path(of cycleId: String) async throws -> [String] {
        try await self.store.transitions(cycleId: cycleId).map(\.to)
    }
}
