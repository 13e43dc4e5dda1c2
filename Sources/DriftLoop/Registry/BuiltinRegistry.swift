import Foundation

/// The embedded registry: one folder per model under `<data_dir>/registry`, with a copy of each version's
/// artifact and a `registry.json` index replaced atomically (write, fsync, rename) on every change. Each change
/// holds the model's `registry.lock` (flock), so replicas sharing the data directory never lose one another's.
public actor BuiltinRegistry: ModelRegistry {
    private let root: String
    private let championAlias: String

    private struct Index: Codable {
        var versions: [ModelVersion] = []
        var aliases: [String: String] = [:]
    }

    public init(directory: String, championAlias: String = "champion") {
        self.root = directory
        self.championAlias = championAlias
    }

    private var previousAlias: String { "previous_\(self.championAlias)" }

    private func modelDirectory(_ model: String) -> String {
        (self.root as NSString).appendingPathComponent(model.replacingOccurrences(of: "/", with: "_"))
    }

    private func load(_ model: String) throws -> Index {
        let path = (self.modelDirectory(model) as NSString).appendingPathComponent("registry.json")
        guard let data = FileManager.default.contents(atPath: path) else { return Index() }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Index.self, from: data)
        } catch {
            throw RegistryError("the registry index \(path) is unreadable (\(error)); restore it from backup or remove it to start empty")
        }
    }

    private func save(_ index: Index, model: String) throws {
        let directory = self.modelDirectory(model)
        try PrivateDirectory.create(directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(index), to: (directory as NSString).appendingPathComponent("registry.json"))
    }

    public func champion(model: String) throws -> ModelVersion? {
        let index = try self.load(model)
        return index.aliases[self.championAlias].flatMap { version in index.versions.first { $0.version == version } }
    }

    public func previousChampion(model: String) throws -> ModelVersion? {
        let index = try self.load(model)
        return index.aliases[self.previousAlias].flatMap { version in index.versions.first { $0.version == version } }
    }

    public func versions(model: String) throws -> [ModelVersion] {
        try self.load(model).versions
    }

    public func registerChallenger(model: String, sourceURI: String, cycleId: String, pipeline: String, metrics: [String: Double]) async throws
        -> ModelVersion
    {
        try await self.locked(model) {
            try self.registerChallengerLocked(model: model, sourceURI: sourceURI, cycleId: cycleId, pipeline: pipeline, metrics: metrics)
        }
    }

    public func promote(model: String, version: String) async throws -> PromotionResult {
        try await self.locked(model) { try self.promoteLocked(model: model, version: version) }
    }

    public func rollback(model: String, to target: String?) async throws -> (from: ModelVersion, to: ModelVersion) {
        try await self.locked(model) { try self.rollbackLocked(model: model, to: target) }
    }

    public func setTag(model: String, version: String, key: String, value: String) async throws {
        try await self.locked(model) { try self.setTagLocked(model: model, version: version, key: key, value: value) }
    }

    /// Runs a read-modify-write of `model`'s index under its lock file, waiting without blocking a thread.
    private func locked<T>(_ model: String, _ body: () throws -> T) async throws -> T {
        let directory = self.modelDirectory(model)
        try PrivateDirectory.create(directory)
        let path = (directory as NSString).appendingPathComponent("registry.lock")
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RegistryError("cannot open the registry lock \(path): \(String(cString: strerror(errno)))", isTransient: true)
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw RegistryError("cannot lock the registry \(path): \(String(cString: strerror(errno)))", isTransient: true)
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    private func registerChallengerLocked(model: String, sourceURI: String, cycleId: String, pipeline: String, metrics: [String: Double]) throws
        -> ModelVersion
    {
        var index = try self.load(model)
        if let existing = index.versions.first(where: { $0.tags["driftloop.cycle_id"] == cycleId }) { return existing }
        let number = (index.versions.compactMap { Int($0.version) }.max() ?? 0) + 1
        let versionDirectory = (self.modelDirectory(model) as NSString).appendingPathComponent("versions/\(number)")
        try PrivateDirectory.create(versionDirectory)
        var artifactURI: String? = nil
        if let source = URL(string: sourceURI), source.isFileURL, FileManager.default.fileExists(atPath: source.path) {
            let destination = (versionDirectory as NSString).appendingPathComponent(source.lastPathComponent)
            try? FileManager.default.removeItem(atPath: destination)
            try FileManager.default.copyItem(atPath: source.path, toPath: destination)
            chmod(destination, 0o600)
            artifactURI = URL(fileURLWithPath: destination).absoluteString
        }
        let version = ModelVersion(
            model: model, version: String(number), sourceURI: sourceURI, artifactURI: artifactURI, createdAt: Date(),
            tags: ["driftloop.cycle_id": cycleId, "driftloop.pipeline": pipeline], metrics: metrics)
        index.versions.append(version)
        try self.save(index, model: model)
        return version
    }

    private func promoteLocked(model: String, version: String) throws -> PromotionResult {
        var index = try self.load(model)
        guard index.versions.contains(where: { $0.version == version }) else {
            throw RegistryError("model \(model) has no version \(version); register it before promoting")
        }
        let current = index.aliases[self.championAlias]
        if current == version {
            return PromotionResult(version: version, previousVersion: index.aliases[self.previousAlias], wasAlreadyChampion: true)
        }
        index.aliases[self.championAlias] = version
        if let current { index.aliases[self.previousAlias] = current }
        try self.save(index, model: model)
        // Read back what is on disk: a promotion counts only once it is durable.
        guard try self.load(model).aliases[self.championAlias] == version else {
            throw RegistryError("promotion of \(model) v\(version) did not persist", isTransient: true)
        }
        return PromotionResult(version: version, previousVersion: current, wasAlreadyChampion: false)
    }

    public func reject(model: String, version: String, reason: String) async throws {
        try await self.setTag(model: model, version: version, key: "driftloop.rejected", value: reason)
    }

    private func rollbackLocked(model: String, to target: String?) throws -> (from: ModelVersion, to: ModelVersion) {
        var index = try self.load(model)
        guard let currentVersion = index.aliases[self.championAlias], let current = index.versions.first(where: { $0.version == currentVersion })
        else {
            throw RegistryError("model \(model) has no champion to roll back from")
        }
        guard let targetVersion = target ?? index.aliases[self.previousAlias] else {
            throw RegistryError("model \(model) has no previous champion; name the version to roll back to")
        }
        guard let destination = index.versions.first(where: { $0.version == targetVersion }) else {
            throw RegistryError("model \(model) has no version \(targetVersion); versions: \(index.versions.map(\.version).joined(separator: ", "))")
        }
        guard targetVersion != currentVersion else {
            throw RegistryError("version \(targetVersion) of \(model) is already the champion")
        }
        index.aliases[self.championAlias] = targetVersion
        index.aliases[self.previousAlias] = currentVersion
        try self.save(index, model: model)
        return (current, destination)
    }

    private func setTagLocked(model: String, version: String, key: String, value: String) throws {
        var index = try self.load(model)
        guard let position = index.versions.firstIndex(where: { $0.version == version }) else {
            throw RegistryError("model \(model) has no version \(version)")
        }
        index.versions[position].tags[key] = value
        try self.save(index, model: model)
    }
}
