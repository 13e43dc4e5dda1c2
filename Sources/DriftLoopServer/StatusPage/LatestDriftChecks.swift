import DriftLoop
import Foundation
import Synchronization

/// The last scheduled drift check of each pipeline, as the status page shows it. Scheduled checks are not stored
/// (a cycle's own check is, in its decisions), so this is kept in memory and empty after a restart.
final class LatestDriftChecks: Sendable {
    struct Check: Sendable {
        var report: DriftReport
        var at: Date
    }

    private let checks = Mutex<[String: Check]>([:])

    func record(pipeline: String, report: DriftReport, at: Date = Date()) {
        self.checks.withLock { $0[pipeline] = Check(report: report, at: at) }
    }

    func latest(pipeline: String) -> Check? {
        self.checks.withLock { $0[pipeline] }
    }
}
