import Foundation
import Testing

@testable import DriftLoop

/// `data.reference` / `data.current` as a location, a PostgreSQL query or the recent feedback window.
@Suite struct DataSourceDeclarationTests {
    static func yaml(data: String, trainer: String = "{kind: builtin, poll: 20ms}", schedule: String = "") -> String {
        TestData.pipelineYAML(trainer: trainer)
            .replacingOccurrences(of: "data: {reference: \(TestData.reference), current: \(TestData.current), target: churned}", with: data)
            + (schedule.isEmpty ? "" : "\nschedule: \(schedule)\n")
    }

    @Test func eachSideMayBeALocationAQueryOrTheRecentWindow() throws {
        let directory = TemporaryDirectory()
        let data = """
            data:
              reference: s3://models/churn/reference/*.parquet
              current:
                postgres: {url_env: WAREHOUSE_URL}
                query: "SELECT * FROM predictions WHERE model = {{model}} AND at >= {{window_start}} AND at < {{window_end}}"
                params: {model: "churn"}
                window: 24h
                max_rows: 50000
              train: {reference: \(TestData.reference), current: \(TestData.current)}
              target: churned
            """
        let pipeline = try TestData.pipeline(Self.yaml(data: data), directory: directory)
        #expect(pipeline.data.referenceSource == .location("s3://models/churn/reference/*.parquet"))
        guard case .postgres(let settings) = pipeline.data.currentSource else { Issue.record("not a query"); return }
        #expect(settings.url == .environment("WAREHOUSE_URL"))
        #expect(settings.window == .seconds(86_400))
        #expect(settings.maxRows == 50_000)
        #expect(settings.parameterNames == ["model", "window_start", "window_end"])
        #expect(pipeline.data.current == TestData.current, "the trainer is sent data.train's file")

        let recent = try TestData.pipeline(
            Self.yaml(
                data:
                    "data: {reference: \(TestData.reference), current: {recent: {records: 500}}, train: {current: \(TestData.current)}, target: churned}"
            ),
            directory: directory)
        #expect(recent.data.currentSource == .recentFeedback(.records(500)))
        let window = try TestData.pipeline(
            Self.yaml(
                data: "data: {reference: \(TestData.reference), current: {recent: {window: 6h}}, target: churned}",
                trainer: "{kind: jenkins, url: http://127.0.0.1:1, job: j, params: {C: \"{{cycle_id}}\"}}"),
            directory: directory)
        #expect(window.data.currentSource == .recentFeedback(.window(.seconds(21_600))))
    }

    @Test(arguments: [
        // (data section, text the error must hold)
        ("data: {reference: x.csv, current: {recent: {records: 10}}, target: churned}", "data.train.current"),
        ("data: {reference: {recent: {records: 10}}, current: x.csv, target: churned}", "the reference is the data the model was trained on"),
        ("data: {reference: x.csv, current: {recent: {records: 10, window: 1h}}, train: {current: x.csv}}", "exactly one of"),
        ("data: {reference: x.csv, current: {postgres: {url_env: U}, query: \"SELECT {{who}}\"}, train: {current: x.csv}}", "`{{who}}`"),
        (
            "data: {reference: x.csv, current: {postgres: {url_env: U}, query: \"SELECT 1 WHERE t > {{window_start}}\"}, train: {current: x.csv}}",
            "window: 24h"
        ),
        ("data: {reference: x.csv, current: {query: \"SELECT 1\"}, train: {current: x.csv}}", "postgres: {url_env"),
        (
            "data: {reference: x.csv, current: {postgres: {url: \"postgres://u:p@h/d\"}, query: \"SELECT 1\"}, train: {current: x.csv}}",
            "never the URL itself"
        ),
        ("data: {reference: x.csv, current: {files: y}}", "`postgres` and `query`, or `recent`"),
    ])
    func aWrongDeclarationNamesItsLineAndTheExpectedForm(data: String, expected: String) throws {
        let directory = TemporaryDirectory()
        do {
            _ = try TestData.pipeline(Self.yaml(data: data), directory: directory)
            Issue.record("accepted: \(data)")
        } catch let error as DiagnosticsError {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.contains("churn.yaml:3:"), "names the data line: \(error.description)")
        }
    }

    @Test func queryParametersBecomeBoundPlaceholders() {
        let (text, bindings) = SQLTemplate.compile(
            "SELECT * FROM t WHERE a = {{x}} AND b > {{ window_start }} AND c = {{x}} AND d = '{{not a marker}}'")
        #expect(text == "SELECT * FROM t WHERE a = $1 AND b > $2 AND c = $1 AND d = '{{not a marker}}'")
        #expect(bindings == ["x", "window_start"])
    }
}
