import Foundation
import Testing

/// `driftloop compare PREDICTIONS`: the offline comparison, run as a user runs it; exit 0 better, 1 not better,
/// 3 inconclusive, 2 a mistake named with the file (and line) and what was expected.
@Suite struct CompareCommandTests {
    static let fixtures: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("DriftStatsTests/Fixtures/evaluation").path
    }()

    static func fixture(_ name: String) -> String { "\(Self.fixtures)/\(name).csv" }

    @Test func eachVerdictHasItsExitStatus() async throws {
        let better = try await CLIRun.run(["compare", Self.fixture("bin_clear_better_n2000")])
        #expect(better.status == 0, "\(better.output)")
        #expect(better.output.contains("roc_auc: champion") && better.output.contains("test: delong") && better.output.contains("verdict: better"))
        let inconclusive = try await CLIRun.run(["compare", Self.fixture("bin_indistinguishable_n1000"), "--test", "bootstrap"])
        #expect(inconclusive.status == 3, "\(inconclusive.output)")
        #expect(inconclusive.output.contains("verdict: inconclusive"))
        let identical = try await CLIRun.run(["compare", Self.fixture("bin_identical_models_n300"), "--metric", "accuracy", "--test", "mcnemar"])
        #expect(identical.status == 1, "\(identical.output)")
    }

    @Test func theJSONCarriesTheReferenceFieldsAndTheVerdict() async throws {
        let run = try await CLIRun.run(["compare", Self.fixture("reg_better_n800"), "--json"])
        #expect(run.status == 0, "\(run.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let comparison = try #require(json["comparison"] as? [String: Any])
        #expect(comparison["task"] as? String == "regression")
        #expect(comparison["paired_t_test"] != nil && comparison["wilcoxon"] != nil && comparison["bootstrap"] != nil)
        let verdict = try #require(json["verdict"] as? [String: Any])
        #expect(verdict["metric"] as? String == "mse" && verdict["test"] as? String == "paired_t")
        #expect(verdict["outcome"] as? String == "better")
    }

    @Test func mistakesAreNamedAndExitTwo() async throws {
        let directory = NSTemporaryDirectory() + "compare-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bad = directory + "/bad.csv"
        try "id,label,champion_score,challenger_score\n1,1,0.9,0.8\n2,yes,0.1,0.2\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let badValue = try await CLIRun.run(["compare", bad])
        #expect(badValue.status == 2)
        #expect(badValue.output.contains("bad.csv: line 3, column 2 (label)"), "\(badValue.output)")
        let missing = try await CLIRun.run(["compare", directory + "/none.csv"])
        #expect(missing.status == 2 && missing.output.contains("none.csv: cannot be read"), "\(missing.output)")
        let metric = try await CLIRun.run(["compare", Self.fixture("reg_better_n800"), "--metric", "roc_auc"])
        #expect(metric.status == 2 && metric.output.contains("use mse, mae"), "\(metric.output)")
        let test = try await CLIRun.run(["compare", Self.fixture("bin_small_n50"), "--metric", "accuracy", "--test", "delong"])
        #expect(test.status == 2 && test.output.contains("use mcnemar or bootstrap"), "\(test.output)")
        let task = try await CLIRun.run(["compare", Self.fixture("bin_small_n50"), "--task", "regression"])
        #expect(task.status == 2 && task.output.contains("line 1"), "\(task.output)")
        let alpha = try await CLIRun.run(["compare", Self.fixture("bin_small_n50"), "--alpha", "1.5"])
        #expect(alpha.status == 2 && alpha.output.contains("--alpha"), "\(alpha.output)")
    }
}
