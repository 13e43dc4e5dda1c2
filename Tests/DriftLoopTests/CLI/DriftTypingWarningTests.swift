import Foundation
import Testing

@testable import DriftLoop

/// Issue 21 item 8: one bad cell in a numerical column makes it text, as in pandas and Evidently, and drops it from
/// the tested columns; `drift` says so, naming the column, the value and its line, in every output.
@Suite struct DriftTypingWarningTests {
    /// 200 rows of three numeric columns; `current` has `tenure` equal to `n/a?` on data row 120 (line 121).
    static func write(_ directory: TemporaryDirectory) -> (reference: String, current: String) {
        var reference = "tenure,charges,calls\n"
        var current = "tenure,charges,calls\n"
        for row in 0..<200 {
            // Nearly every tenure is distinct, so once text it is free text, which is not tested.
            reference += "\(Double(row) * 0.5),\(Double(row % 17) * 1.5),\(row % 7)\n"
            current += (row == 119 ? "n/a?" : "\(Double(row) * 0.5 + 30)") + ",\(Double(row % 17) * 1.5 + 20),\(row % 7)\n"
        }
        return (directory.write("reference.csv", reference), directory.write("current.csv", current))
    }

    @Test func summaryJSONAndHTMLNameTheValueThatMadeTheColumnText() async throws {
        let directory = TemporaryDirectory()
        let (reference, current) = Self.write(directory)
        let html = directory.file("report.html"), json = directory.file("report.json")
        let run = try await CLIRun.run(["drift", "--reference", reference, "--current", current, "--html", html, "--json", json])
        #expect(run.status == 1 || run.status == 0, "\(run.output)")
        let warning = "column `tenure` is text, not numbers, because of `n/a?` on line 121 of \(current) (the 119 values before it are numbers)"
        #expect(run.output.contains("warning: " + warning), "\(run.output)")

        let report = try #require(JSONValue.parse(try String(contentsOfFile: json, encoding: .utf8)))
        guard case .array(let warnings)? = report["warnings"], let first = warnings.first else {
            Issue.record("no warnings in the JSON: \(report.jsonText.prefix(800))")
            return
        }
        #expect(first["column"]?.stringValue == "tenure" && first["line"]?.numberValue == 121 && first["value"]?.stringValue == "n/a?")
        #expect(first["message"]?.stringValue?.contains(warning) == true)
        guard case .array(let columns)? = report["columns"], let tenure = columns.first(where: { $0["column"]?.stringValue == "tenure" }) else {
            Issue.record("no tenure column: \(report.jsonText.prefix(800))")
            return
        }
        // A text column is not tested: no threshold, not a threshold of 0.
        #expect(tenure["column_type"]?.stringValue == "text")
        #expect(tenure["threshold"]?.numberValue == nil, "\(tenure.jsonText)")
        let tenureRow = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("tenure") })
        #expect(!tenureRow.contains(" 0 "), "\(tenureRow)")

        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("warning: column `tenure` is text, not numbers, because of `n/a?` on line 121"), "the HTML report has the warning")
    }

    @Test func aCleanFileHasNoWarnings() async throws {
        let directory = TemporaryDirectory()
        let (reference, _) = Self.write(directory)
        let json = directory.file("report.json")
        let run = try await CLIRun.run(["drift", "--reference", reference, "--current", reference, "--json", json])
        #expect(run.status == 0, "\(run.output)")
        #expect(!run.output.contains("warning:"), "\(run.output)")
        #expect(JSONValue.parse(try String(contentsOfFile: json, encoding: .utf8))?["warnings"] == nil)
    }
}
