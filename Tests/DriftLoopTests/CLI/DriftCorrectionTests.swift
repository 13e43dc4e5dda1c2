import Foundation
import Testing

@testable import DriftLoop

/// `drift.correction` and `drift --correction` (issue 19 item 5), as a user declares and runs them.
@Suite struct DriftCorrectionTests {
    static let churn = ChildServer.repositoryRoot + "/pipelines/data/churn"

    @Test func theCommandAdjustsThePValueColumnsAndSaysSo() async throws {
        let directory = TemporaryDirectory()
        let json = directory.file("report.json")
        let run = try await CLIRun.run([
            "drift", "--reference", Self.churn + "/reference.csv", "--current", Self.churn + "/current.csv", "--correction", "bonferroni",
            "--json", json,
        ])
        #expect(run.status == 0 || run.status == 1, "\(run.output)")
        #expect(run.output.contains("correction: bonferroni over the p-values of"), "\(run.output)")
        let report = try #require(JSONValue.parse(try String(contentsOfFile: json, encoding: .utf8)))
        #expect(report["correction"]?.stringValue == "bonferroni")
        guard case .array(let columns)? = report["columns"] else {
            Issue.record("no columns")
            return
        }
        let adjusted = columns.filter { $0["adjusted_score"]?.numberValue != nil }
        #expect(!adjusted.isEmpty, "\(report.jsonText.prefix(600))")
        for column in adjusted {
            let score = try #require(column["score"]?.numberValue), corrected = try #require(column["adjusted_score"]?.numberValue)
            #expect(corrected == min(1, score * Double(adjusted.count)), "\(column.jsonText)")
        }

        let typo = try await CLIRun.run([
            "drift", "--reference", Self.churn + "/reference.csv", "--current", Self.churn + "/current.csv", "--correction", "bonferoni",
        ])
        #expect(typo.status == 2 && typo.output.contains("(did you mean `bonferroni`?)"), "\(typo.output)")
    }

    @Test func aPipelineDeclaresItAndTheCheckUsesIt() throws {
        let directory = TemporaryDirectory()
        let yaml = TestData.pipelineYAML().replacingOccurrences(of: "cooldown: 10m", with: "cooldown: 10m\ndrift: {correction: benjamini_hochberg}")
        let pipeline = try TestData.pipeline(yaml, directory: directory)
        #expect(try DriftCheck.analysis(pipeline.drift).correction == .benjaminiHochberg)

        let misspelt = yaml.replacingOccurrences(of: "benjamini_hochberg", with: "benjamini-hochberg")
        do {
            _ = try TestData.pipeline(misspelt, directory: directory)
            Issue.record("a misspelt correction was accepted")
        } catch let error as DiagnosticsError {
            let diagnostic = try #require(error.diagnostics.first { $0.message.contains("drift.correction") })
            #expect(diagnostic.message.contains("(did you mean `benjamini_hochberg`?)"), "\(diagnostic)")
            #expect(diagnostic.location.line == 10, "\(diagnostic)")
        }
    }
}
