import Foundation
import Testing

@testable import DriftLoop

/// Issue 21 item 10: `pipeline validate` suggests the name meant, reports one mistake once, does not ask for a
/// timeout that is only malformed, and checks that the data files exist.
@Suite struct PipelineValidateHintsTests {
    let directory = TemporaryDirectory()

    func messages(_ yaml: String) -> [String] { PipelineValidationTests().diagnostics(yaml).map(\.message) }

    @Test func aMisspelledTargetIsOneErrorWithTheNameMeant() {
        let messages = self.messages(
            TestData.pipelineYAML().replacingOccurrences(of: "on: {started: await_training}", with: "on: {started: await_trainng}"))
        #expect(messages.count == 1, "\(messages)")
        #expect(messages.first?.contains("unknown state `await_trainng` (did you mean `await_training`?)") == true, "\(messages)")
    }

    @Test func misspelledKeysAndActionsGetTheClosestName() {
        let yaml = TestData.pipelineYAML()
            .replacingOccurrences(of: "action: await_training", with: "action: await_trainig")
            .replacingOccurrences(of: "  await_training:\n    action", with: "  await_training:\n    retyr: {attempts: 2}\n    action")
        let messages = self.messages(yaml)
        #expect(messages.contains { $0.contains("unknown action `await_trainig` (did you mean `await_training`?)") }, "\(messages)")
        #expect(messages.contains { $0.contains("unknown key `states.await_training.retyr` (did you mean `retry`?)") }, "\(messages)")
        // A name far from every candidate gets no guess.
        let far = self.messages(TestData.pipelineYAML().replacingOccurrences(of: "action: await_training", with: "action: banana"))
        #expect(far.contains { $0.contains("unknown action `banana`;") } && !far.joined().contains("did you mean"), "\(far)")
    }

    @Test func aMalformedTimeoutIsReportedAsMalformedOnly() {
        let yaml = TestData.pipelineYAML(awaitTimeout: "30 minutes")
        let messages = self.messages(yaml)
        #expect(messages.contains { $0.contains("timeout` must be a duration") }, "\(messages)")
        #expect(!messages.contains { $0.contains("needs a `timeout`") }, "\(messages)")
    }

    @Test func closestNameUsesEditDistanceWithSwaps() {
        #expect(NameSuggestion.closest(to: "await_trainng", among: ["detect", "await_training", "train"]) == "await_training")
        #expect(NameSuggestion.closest(to: "retyr", among: ["retry", "timeout"]) == "retry")
        #expect(NameSuggestion.closest(to: "Detect", among: ["detect"]) == "detect")
        #expect(NameSuggestion.closest(to: "xyz", among: ["detect", "train"]) == nil)
        #expect(NameSuggestion.distance(Array("ca"), Array("ac")) == 1)
        #expect(NameSuggestion.distance(Array("kitten"), Array("sitting")) == 3)
    }

    @Test func missingDataFilesAreReportedAtTheirKeysUnlessSkipped() async throws {
        try FileManager.default.copyItem(atPath: TestData.current, toPath: self.directory.file("current.csv"))
        let pipelineFile = self.directory.write("churn.yaml", TestData.pipelineYAML(current: "current.csv"))
        let ok = try await CLIRun.run(["pipeline", "validate", pipelineFile])
        #expect(ok.status == 0, "\(ok.output)")
        try FileManager.default.removeItem(atPath: self.directory.file("current.csv"))
        let missing = try await CLIRun.run(["pipeline", "validate", pipelineFile])
        #expect(missing.status == 1, "\(missing.output)")
        #expect(missing.output.contains("churn.yaml:"), "\(missing.output)")
        #expect(
            missing.output.contains("`data.current`: cannot read \(self.directory.file("current.csv")): No such file or directory"),
            "\(missing.output)")
        let skipped = try await CLIRun.run(["pipeline", "validate", "--no-data", pipelineFile])
        #expect(skipped.status == 0, "\(skipped.output)")
    }
}
