import ArgumentParser
import CurlHTTP
import DriftData
import DriftLoop
import DriftReport
import DriftStats
import Foundation

/// Evidently's DataDriftPreset verdicts on two CSV files, natively: exit 0 without dataset drift, 1 with it, 2 on error.
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Test reference against current CSV data column by column (Evidently's tests and verdicts).",
        discussion: "Exit status: 0 no dataset drift, 1 dataset drift, 2 error.")

    @Option(help: "Reference CSV: a path or an http(s) URL.")
    var reference: String

    @Option(help: "Current CSV: a path or an http(s) URL.")
    var current: String

    @Option(help: "Write the report as JSON to this file (`-` for standard output).")
    var json: String?

    @Option(help: "Write a self-contained HTML report to this file.")
    var html: String?

    @Option(help: "Schema file forcing column types: {\"columns\": {\"age\": \"num\", \"plan\": \"cat\", \"id\": \"ignore\"}}.")
    var schema: String?

    @Option(help: "Only these columns (comma-separated).")
    var columns: String?

    @Option(help: "Dataset drift when at least this share of columns drifted.")
    var share: Double = 0.5

    @Option(
        help:
            "Use this test for every column instead of the automatic choice (ks, chisquare, z, wasserstein, jensenshannon, psi, kl_div, hellinger, ed, t_test, mannw, anderson, cramer_von_mises, fisher_exact, g_test, es, TVD, empirical_mmd)."
    )
    var method: String?

    @Option(help: "Threshold for every column instead of each test's default.")
    var threshold: Double?

    @Option(help: "Adjust the p-value columns for multiple testing before comparing them: none, bonferroni, benjamini_hochberg.")
    var correction: String?

    func run() async throws {
        try await DriftRun(
            reference: self.reference, current: self.current, json: self.json, html: self.html, schema: self.schema,
            columns: self.columns, share: self.share, method: self.method, threshold: self.threshold, correction: self.correction
        ).run()
    }
}

/// The `drift` options as plain values, and the run itself, whether ArgumentParser read the options or
/// `init?(arguments:)` did.
struct DriftRun: Sendable {
    var reference: String
    var current: String
    var json: String?
    var html: String?
    var schema: String?
    var columns: String?
    var share = 0.5
    var method: String?
    var threshold: Double?
    var correction: String?

    func run() async throws {
        throw ExitCode(await self.status())
    }

    /// The exit status: 0 no dataset drift, 1 dataset drift, 2 error (said on standard error).
    func status() async -> Int32 {
        do {
            return try await self.check() ? 1 : 0
        } catch {
            FileHandle.standardError.write(Data("driftloop drift: \(error)\n".utf8))
            return 2
        }
    }

    private func check() async throws -> Bool {
        guard (0...1).contains(self.share) else { throw ValidationError("--share must be between 0 and 1") }
        MallocTuning.keepFreedMemory()
        var method: StatTestMethod?
        if let name = self.method {
            guard let parsed = StatTestMethod(rawValue: name) else { throw StatTestError.unknownMethod(name) }
            method = parsed
        }
        var correction = MultipleTestingCorrection.none
        if let name = self.correction {
            guard let parsed = MultipleTestingCorrection(rawValue: name) else {
                let names = MultipleTestingCorrection.allCases.map(\.rawValue)
                throw ValidationError(
                    "--correction `\(name)` is not one of \(names.joined(separator: ", "))\(NameSuggestion.hint(for: name, among: names))")
            }
            correction = parsed
        }
        let schema = try self.schema.map { path in try ColumnSchema.load(path: path) } ?? ColumnSchema()
        let wanted = self.columns?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let loader = TableLoader(http: CurlHTTPClient())
        async let referenceTable = loader.load(self.reference, columns: wanted, schema: schema)
        async let currentTable = loader.load(self.current, columns: wanted, schema: schema)
        let (reference, current) = try await (referenceTable, currentTable)
        var analysis = DataDriftAnalysis(method: method, threshold: self.threshold, schema: schema, share: self.share)
        analysis.correction = correction
        let report = await analysis.runConcurrently(reference: reference, current: current, columns: wanted)

        if let json = self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let data = try encoder.encode(report)
            if json == "-" {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            } else {
                try data.write(to: URL(fileURLWithPath: json), options: .atomic)
            }
        }
        if let html = self.html {
            let page = DriftHTMLReport.render(
                report, reference: reference, current: current, title: "Drift: \((self.current as NSString).lastPathComponent)")
            try Data(page.utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
        }
        if self.json != "-" { self.printSummary(report) }
        return report.datasetDrift
    }

    /// printf's `%.<digits>g`, as the summary has always printed scores.
    private static func significant(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)g", value)
    }

    private func printSummary(_ report: DataDriftReport) {
        print(
            "dataset drift: \(report.datasetDrift ? "yes" : "no") (\(report.driftedColumns) of \(report.columns.count) columns, share \(Self.significant(report.share, digits: 3)), threshold \(report.shareThreshold))"
        )
        for (side, summary) in [("reference", report.referenceSource), ("current", report.currentSource)] {
            guard let summary else { continue }
            print(
                "\(side): \(LogText.escape(summary.source)) (\(summary.format), \(summary.rows) rows\(summary.objects.map { ", \($0) objects" } ?? ""))"
            )
        }
        for excluded in report.excludedColumns ?? [] { print("left out: \(LogText.escape(excluded.column)): \(excluded.reason)") }
        for warning in report.warnings ?? [] { print("warning: \(LogText.escape(warning.description))") }
        if let correction = report.correction {
            let adjusted = report.columns.filter { $0.adjustedScore != nil }.count
            print(
                "correction: \(correction.rawValue) over the p-values of \(adjusted) columns; DRIFTED compares the adjusted p-value (JSON: adjusted_score)"
            )
        }
        var table = TextTable("COLUMN", "TYPE", "TEST", "SCORE", "THRESHOLD", "DRIFTED")
        for column in report.columns {
            table.add(
                column.column, column.columnType.rawValue, column.stattest,
                column.score.map { Self.significant($0, digits: 4) } ?? "-",
                column.threshold.map { Self.significant($0, digits: 4) } ?? "-", column.drifted ? "yes" : (column.error == nil ? "no" : "n/a"))
        }
        print(table.render())
    }
}
