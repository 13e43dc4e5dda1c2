import Foundation
import Testing

@testable import DriftLoop

/// Replicas share the built-in registry's folder: two registries over one directory (as two processes would be)
/// writing the same model at once lose nothing.
@Suite struct BuiltinRegistrySharingTests {
    @Test func concurrentWritersOnOneDirectoryKeepEveryVersion() async throws {
        let directory = TemporaryDirectory()
        let first = BuiltinRegistry(directory: directory.file("registry"))
        let second = BuiltinRegistry(directory: directory.file("registry"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                let registry = index % 2 == 0 ? first : second
                group.addTask {
                    _ = try await registry.registerChallenger(
                        model: "m", sourceURI: "none", cycleId: "c\(index)", pipeline: "p", metrics: ["f1": 0.5])
                }
            }
            try await group.waitForAll()
        }
        let versions = try await first.versions(model: "m")
        #expect(versions.count == 40, "every registration kept")
        #expect(Set(versions.map(\.version)).count == 40, "no version number handed out twice")
        #expect(Set(versions.compactMap { $0.tags["driftloop.cycle_id"] }).count == 40)
    }
}
