import ArgumentParser
import DriftData
import DriftStats
import Foundation

/// Champion against challenger on one predictions file, offline, as `drift` is for data: both models' metrics, the
/// difference, the test and its evidence, and a verdict that says whether the difference is real.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare champion and challenger predictions on one holdout: metrics, a significance test, and a verdict.",
        discussion: """
            PREDICTIONS is a CSV with one of the headers id,label,champion_score,challenger_score (binary scores; \
            label 0/1, predicted positive at score >= 0.5), id,label,champion_pred,challenger_pred (classes) or \
            id,y,champion_pred,challenger_pred (regression).
            Exit status: 0 better, 1 not better, 3 inconclusive, 2 error.
            """)

    @Argument(help: "The predictions CSV.")
    var predictions: String

    @Option(help: "binary, multiclass or regression (default: from the header).")
    var task: String?

    @Option(help: "accuracy, f1, roc_auc, f1_macro, mse or mae (default: roc_auc, f1_macro or mse by task).")
    var metric: String?

    @Option(help: "mcnemar, delong, bootstrap, paired_t or wilcoxon (default: delong for roc_auc, paired_t for mse and mae, bootstrap otherwise).")
    var test: String?

    @Option(help: "Significance level; the bootstrap's interval is at 1 - alpha.")
    var alpha: Double = 0.05

    @Option(help: "The improvement the challenger must clear, in the metric's units (positive is better, for errors too).")
    var margin: Double = 0

    @Option(help: "Fewer rows than this is inconclusive.")
    var minSamples: Int = 0

    @Option(help: "Bootstrap resamples.")
    var resamples: Int = PairedBootstrap.referenceReplicateCount

    @Option(help: "Bootstrap seed (SplitMix64); the same seed gives the same replicates on every machine.")
    var seed: UInt64 = PairedBootstrap.referenceSeed

    @Flag(help: "Print the comparison and the verdict as JSON.")
    var json = false

    func run() throws {
        guard self.alpha > 0, self.alpha < 1 else { throw CLIError("--alpha must be between 0 and 1 (exclusive), e.g. 0.05") }
        guard self.resamples >= 1 else { throw CLIError("--resamples must be at least 1, e.g. 2000") }
        let layout = try self.task.map { name in
            guard let layout = ComparisonCSVLayout(rawValue: name) else {
                throw CLIError("--task `\(name)` is not one of \(ComparisonCSVLayout.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return layout
        }
        let text: String
        do {
            text = try String(contentsOfFile: self.predictions, encoding: .utf8)
        } catch {
            throw CLIError("\(self.predictions): cannot be read: \(error.localizedDescription)")
        }
        let data: ComparisonData
        do {
            data = try ComparisonCSVReader.read(text, expecting: layout)
        } catch {
            throw CLIError("\(self.predictions): \(error.description)")
        }
        let comparison = ModelComparison(
            data, csv: (self.predictions as NSString).lastPathComponent,
            bootstrap: PairedBootstrap(seed: self.seed, replicateCount: self.resamples))
        let rule = try self.rule(for: comparison.task)
        let verdict = ComparisonVerdict(comparison, rule: rule)
        if self.json {
            let encoder = ModelComparison.makeJSONEncoder()
            let report = CompareReport(comparison: comparison, verdict: verdict)
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            Self.printSummary(comparison, verdict)
        }
        switch verdict.outcome {
        case .better: return
        case .notBetter: throw ExitCode(1)
        case .inconclusive: throw ExitCode(3)
        }
    }

    private func rule(for task: ComparisonTask) throws -> SignificanceRule {
        let metric =
            try self.metric.map { name in
                guard let metric = ComparedMetric(rawValue: name) else {
                    throw CLIError("--metric `\(name)` is not one of \(ComparedMetric.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return metric
            } ?? ComparedMetric.standard(for: task)
        guard metric.applies(to: task) else {
            let valid = ComparedMetric.allCases.filter { $0.applies(to: task) }.map(\.rawValue)
            throw CLIError("--metric \(metric.rawValue) does not apply to \(task.rawValue) predictions; use \(valid.joined(separator: ", "))")
        }
        let test =
            try self.test.map { name in
                guard let test = SignificanceTestKind(rawValue: name) else {
                    throw CLIError("--test `\(name)` is not one of \(SignificanceTestKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return test
            } ?? SignificanceTestKind.standard(for: metric)
        guard test.measures(metric) else {
            let valid = SignificanceTestKind.allCases.filter { $0.measures(metric) }.map(\.rawValue)
            throw CLIError("--test \(test.rawValue) does not test \(metric.rawValue); use \(valid.joined(separator: " or "))")
        }
        guard self.minSamples >= 0 else { throw CLIError("--min-samples must be 0 or more") }
        return SignificanceRule(metric: metric, test: test, alpha: self.alpha, margin: self.margin, minSamples: self.minSamples)
    }

    private static func printSummary(_ comparison: ModelComparison, _ verdict: ComparisonVerdict) {
        print("\(comparison.task.rawValue) predictions: \(comparison.n) rows")
        func number(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "undefined" }
        print(
            "\(verdict.metric.rawValue): champion \(number(verdict.champion)), challenger \(number(verdict.challenger)), difference \(number(verdict.difference))"
        )
        var evidence = "test: \(verdict.test.rawValue)"
        if let pvalue = verdict.pvalue { evidence += ", p = \(number(pvalue))" }
        if let interval = verdict.interval { evidence += ", interval [\(number(interval[0])), \(number(interval[1]))]" }
        print(evidence)
        print("verdict: \(verdict.outcome.rawValue) (\(verdict.reason))")
    }
}

/// `compare --json`: the comparison in the reference's field names, and the verdict.
private struct CompareReport: Encodable {
    var comparison: ModelComparison
    var verdict: ComparisonVerdict
}
