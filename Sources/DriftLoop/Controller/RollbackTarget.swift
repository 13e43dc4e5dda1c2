/// Which versions a rollback may move the champion to without an explicit override: earlier champions only.
enum RollbackTarget {
    static let rejectedTag = "driftloop.rejected"

    static func check(version: String, model: String, registry: any ModelRegistry, store: any CycleStore) async throws {
        let history = try await store.championHistory(model: model)
        var earlierChampions = Set(history.map(\.version))
        earlierChampions.formUnion(history.compactMap(\.previousVersion))
        if let previous = try await registry.previousChampion(model: model) { earlierChampions.insert(previous.version) }
        let versions = try await registry.versions(model: model)
        // MLflow versions driftloop promoted carry this tag, also when another store recorded the promotion.
        for candidate in versions where candidate.tags["driftloop.promoted_at"] != nil { earlierChampions.insert(candidate.version) }
        if let target = versions.first(where: { $0.version == version }), let rejection = target.tags[Self.rejectedTag] {
            throw RollbackRefusal(
                "version \(version) of \(model) was rejected (\(LogText.escape(String(rejection.prefix(200))))); roll back to it only with `any_version: true` (CLI: --any-version)"
            )
        }
        guard earlierChampions.contains(version) else {
            let known = earlierChampions.sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
            throw RollbackRefusal(
                "version \(version) of \(model) has never been champion; a rollback goes back to an earlier champion (\(known.isEmpty ? "none recorded" : known.joined(separator: ", "))), or pass `any_version: true` (CLI: --any-version)"
            )
        }
    }
}

/// A rollback the controller refuses; the message says which versions are allowed and how to override.
package struct RollbackRefusal: Error, Sendable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
