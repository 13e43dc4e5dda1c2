import DriftLoop
import Foundation

/// Polls a cycle until it ends, printing each new transition as it is stored.
struct CycleWatcher {
    var api: APIClient
    var printsProgress: Bool

    func waitForEnd(cycleId: String, timeout: Duration) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        var printed = 0
        while true {
            let detail = try await self.api.get("/v1/cycles/\(cycleId)")
            if case .array(let transitions)? = detail["transitions"], self.printsProgress {
                for transition in transitions.dropFirst(printed) { CyclePrinter.printTransition(transition) }
                printed = transitions.count
            }
            if detail["cycle"]?["status"]?.stringValue == "finished" { return detail }
            guard ContinuousClock.now < deadline else { throw CLIError("cycle \(cycleId) did not end within \(timeout)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// Human-readable rendering of a cycle and its decisions.
enum CyclePrinter {
    static func printTransition(_ transition: JSONValue) {
        let transition = transition.escapingControlCharacters()
        let from = transition["from"]?.stringValue ?? "(start)"
        let to = transition["to"]?.stringValue ?? "?"
        let outcome = transition["outcome"]?.stringValue ?? "?"
        let at = transition["at"]?.stringValue ?? ""
        var line = "  \(at)  \(from) --\(outcome)--> \(to)"
        if let error = transition["details"]?["error"]?.stringValue { line += "  (\(error))" }
        print(line)
    }

    /// - Parameter includingTransitions: false when the transitions were printed live as the cycle ran.
    static func printDetail(_ detail: JSONValue, includingTransitions: Bool = true) {
        let detail = detail.escapingControlCharacters()
        let cycle = detail["cycle"]
        print(
            "cycle \(cycle?["id"]?.stringValue ?? "?")  pipeline \(cycle?["pipeline"]?.stringValue ?? "?")  kind \(cycle?["kind"]?.stringValue ?? "?")"
        )
        print(
            "  status \(cycle?["status"]?.stringValue ?? "?"), state \(cycle?["state"]?.stringValue ?? "?"), outcome \(cycle?["outcome"]?.stringValue ?? "-")"
        )
        if let reason = cycle?["reason"]?.stringValue { print("  reason: \(reason)") }
        if let failure = cycle?["failure"]?.stringValue { print("  failure: \(failure)") }
        if includingTransitions {
            print("\ntransitions:")
            if case .array(let transitions)? = detail["transitions"] { transitions.forEach(printTransition) }
        }
        let decisions = detail["decisions"]
        if let drift = decisions?["drift"] {
            print(
                "\ndrift: \(drift["drifted_columns"]?.numberValue.map { String(Int($0)) } ?? "?") drifted column(s), share \(Self.number(drift["share"])), dataset drift \(drift["dataset_drift"]?.boolValue == true ? "yes" : "no")"
            )
            var table = TextTable("COLUMN", "TYPE", "TEST", "SCORE", "THRESHOLD", "DRIFTED")
            if case .array(let columns)? = drift["columns"] {
                for column in columns {
                    table.add(
                        column["column"]?.stringValue ?? "", column["column_type"]?.stringValue ?? "", column["stattest"]?.stringValue ?? "",
                        Self.number(column["score"]), Self.number(column["threshold"]), column["drifted"]?.boolValue == true ? "yes" : "no")
                }
            }
            print(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        if let training = decisions?["training"] {
            print(
                "\ntraining: job \(training["job"]?.stringValue ?? "?") \(training["status"]?.stringValue ?? "?"), holdout rows \(training["holdout_rows"]?.numberValue.map { String(Int($0)) } ?? "?")"
            )
        }
        if let evaluation = decisions?["evaluation"] {
            print("\nevaluation: \(evaluation["is_better"]?.boolValue == true ? "challenger is better" : "challenger is not better")")
            var table = TextTable("RULE", "METRIC", "CHAMPION", "CHALLENGER", "REQUIREMENT", "VERDICT")
            if case .array(let rules)? = evaluation["rules"] {
                for rule in rules {
                    table.add(
                        rule["kind"]?.stringValue ?? "", rule["metric"]?.stringValue ?? "", Self.number(rule["champion"]),
                        Self.number(rule["challenger"]),
                        rule["requirement"]?.stringValue ?? "", rule["passed"]?.boolValue == true ? "pass" : "fail")
                }
            }
            print(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        if let promotion = decisions?["promotion"] {
            print(
                "\npromotion: v\(promotion["version"]?.stringValue ?? "?") is champion (previous: \(promotion["previous_version"]?.stringValue.map { "v\($0)" } ?? "none"))"
            )
        }
        if let rejection = decisions?["rejection"] {
            print("\nrejection: v\(rejection["version"]?.stringValue ?? "?") rejected: \(rejection["reason"]?.stringValue ?? "")")
        }
        if let rollback = decisions?["rollback"] {
            print(
                "\nrollback: v\(rollback["from_version"]?.stringValue ?? "?") -> v\(rollback["to_version"]?.stringValue ?? "?") by \(rollback["actor"]?.stringValue ?? "?"): \(rollback["reason"]?.stringValue ?? "")"
            )
        }
        if case .array(let triggers)? = detail["triggers"], triggers.count > 1 {
            print("\ntriggers folded into this cycle: \(triggers.count)")
        }
    }

    static func number(_ value: JSONValue?) -> String {
        guard let number = value?.numberValue else { return "-" }
        return String(format: "%.4g", number)
    }
}
