import ArgumentParser
import DriftLoop
import Foundation

struct RetrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retrain", abstract: "Retrain now: start a cycle of PIPELINE on the running server.")

    @Argument(help: "Pipeline name.") var pipeline: String
    @Option(help: "Why, for the record.") var reason: String?
    @Flag(help: "Start even inside the pipeline's cooldown.") var force = false
    @Flag(help: "Wait for the cycle to end; exit 1 unless it ends promoted, rejected or no_drift.") var wait = false
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let api = try self.client.makeClient()
        let user = ProcessInfo.processInfo.environment["USER"] ?? "cli"
        let accepted = try await api.post(
            "/v1/pipelines/\(self.pipeline)/retrain",
            body: ["reason": self.reason.map(JSONValue.string) ?? .null, "requested_by": .string(user), "force": .bool(self.force)])
        let cycleId = accepted["cycle_id"]?.stringValue ?? "?"
        if !self.wait {
            if self.client.json { JSONOutput.print(accepted) } else { print("cycle \(cycleId): \(accepted["disposition"]?.stringValue ?? "?")") }
            return
        }
        if !self.client.json { print("cycle \(cycleId): \(accepted["disposition"]?.stringValue ?? "?"); waiting for it to end") }
        let detail = try await CycleWatcher(api: api, printsProgress: !self.client.json).waitForEnd(cycleId: cycleId, timeout: .seconds(3600))
        // Without --json the watcher printed each transition as it happened.
        if self.client.json { JSONOutput.print(detail) } else { CyclePrinter.printDetail(detail, includingTransitions: false) }
        let outcome = detail["cycle"]?["outcome"]?.stringValue ?? ""
        if CycleOutcome(rawValue: outcome)?.isDecision != true { throw ExitCode(1) }
    }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Pipelines with their champion and latest cycle.")
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let body = try await self.client.makeClient().get("/v1/pipelines")
        if self.client.json { return JSONOutput.print(body) }
        var table = TextTable("PIPELINE", "MODEL", "CHAMPION", "LAST CYCLE", "STATE", "OUTCOME", "UPDATED")
        if case .array(let pipelines)? = body["pipelines"] {
            for pipeline in pipelines {
                let last = pipeline["last_cycle"]
                table.add(
                    pipeline["name"]?.stringValue ?? "", pipeline["model"]?.stringValue ?? "",
                    pipeline["champion"]?["version"]?.stringValue.map { "v\($0)" } ?? "-", last?["id"]?.stringValue ?? "-",
                    last?["state"]?.stringValue ?? "-", last?["outcome"]?.stringValue ?? (last?["status"]?.stringValue ?? "-"),
                    last?["updated_at"]?.stringValue ?? "-")
            }
        }
        print(table.render())
    }
}

struct CyclesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cycles", abstract: "Recent cycles, newest first.")
    @Argument(help: "Only this pipeline's cycles.") var pipeline: String?
    @Option(help: "How many.") var limit = 20
    @OptionGroup var client: ClientOptions

    func run() async throws {
        var path = "/v1/cycles?limit=\(self.limit)"
        if let pipeline { path += "&pipeline=\(pipeline)" }
        let body = try await self.client.makeClient().get(path)
        if self.client.json { return JSONOutput.print(body) }
        var table = TextTable("CYCLE", "PIPELINE", "KIND", "STATE", "OUTCOME", "CREATED", "REASON")
        if case .array(let cycles)? = body["cycles"] {
            for cycle in cycles {
                table.add(
                    cycle["id"]?.stringValue ?? "", cycle["pipeline"]?.stringValue ?? "", cycle["kind"]?.stringValue ?? "",
                    cycle["state"]?.stringValue ?? "", cycle["outcome"]?.stringValue ?? "running", cycle["created_at"]?.stringValue ?? "",
                    cycle["reason"]?.stringValue ?? "")
            }
        }
        print(table.render())
    }
}

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One cycle: its transitions and every decision with its inputs.")
    @Argument(help: "Cycle id.") var cycle: String
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let detail = try await self.client.makeClient().get("/v1/cycles/\(self.cycle)")
        if self.client.json { JSONOutput.print(detail) } else { CyclePrinter.printDetail(detail) }
    }
}

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Move PIPELINE's champion back (to the previous champion, or --to VERSION).")
    @Argument(help: "Pipeline name.") var pipeline: String
    @Option(help: "Version to roll back to (an earlier champion).") var to: String?
    @Flag(help: "Allow --to a version that was never champion or was rejected.") var anyVersion = false
    @Option(help: "Why, for the record.") var reason: String?
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let user = ProcessInfo.processInfo.environment["USER"] ?? "cli"
        let detail = try await self.client.makeClient().post(
            "/v1/pipelines/\(self.pipeline)/rollback",
            body: [
                "to_version": self.to.map(JSONValue.string) ?? .null, "reason": .string(self.reason ?? "manual rollback"), "actor": .string(user),
                "any_version": .bool(self.anyVersion),
            ])
        if self.client.json { return JSONOutput.print(detail) }
        let decision = detail.escapingControlCharacters()["decisions"]?["rollback"]
        print(
            "rolled back \(self.pipeline): v\(decision?["from_version"]?.stringValue ?? "?") -> v\(decision?["to_version"]?.stringValue ?? "?") (cycle \(detail["cycle"]?["id"]?.stringValue ?? "?"))"
        )
    }
}

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a running cycle.")
    @Argument(help: "Cycle id.") var cycle: String
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let body = try await self.client.makeClient().post("/v1/cycles/\(self.cycle)/cancel", body: [:])
        if self.client.json { JSONOutput.print(body) } else { print("cycle \(self.cycle): cancel requested") }
    }
}

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve (or --reject) a cycle waiting in an approve state.")
    @Argument(help: "Cycle id.") var cycle: String
    @Flag(help: "Reject instead of approving.") var reject = false
    @Option(help: "Why, for the record.") var comment: String?
    @Option(help: "Who decides. Default: $USER.") var approver: String?
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let who = self.approver ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
        let body = try await self.client.makeClient().post(
            "/v1/cycles/\(self.cycle)/\(self.reject ? "reject" : "approve")",
            body: ["approver": .string(who), "comment": self.comment.map(JSONValue.string) ?? .null])
        if self.client.json { JSONOutput.print(body) } else { print("cycle \(self.cycle): \(self.reject ? "rejected" : "approved") by \(who)") }
    }
}

struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause a pipeline: its cycles stop at their next state; new triggers are recorded and wait.")
    @Argument(help: "Pipeline name.") var pipeline: String
    @Option(help: "Why, for the record.") var reason: String?
    @Option(help: "Who pauses. Default: $USER.") var actor: String?
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let who = self.actor ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
        let body = try await self.client.makeClient().post(
            "/v1/pipelines/\(self.pipeline)/pause", body: ["actor": .string(who), "reason": self.reason.map(JSONValue.string) ?? .null])
        if self.client.json {
            JSONOutput.print(body)
        } else {
            let by = LogText.escape(body["pause"]?["actor"]?.stringValue ?? who)
            print(
                body["changed"]?.boolValue == true
                    ? "pipeline \(self.pipeline): paused by \(by)" : "pipeline \(self.pipeline): already paused by \(by)")
        }
    }
}

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused pipeline; its waiting cycles go on.")
    @Argument(help: "Pipeline name.") var pipeline: String
    @Option(help: "Who resumes. Default: $USER.") var actor: String?
    @OptionGroup var client: ClientOptions

    func run() async throws {
        let who = self.actor ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
        let body = try await self.client.makeClient().post("/v1/pipelines/\(self.pipeline)/resume", body: ["actor": .string(who)])
        if self.client.json {
            JSONOutput.print(body)
        } else {
            print(body["changed"]?.boolValue == true ? "pipeline \(self.pipeline): resumed" : "pipeline \(self.pipeline): was not paused")
        }
    }
}
