import Foundation
import Testing

@testable import DriftLoop

/// What `driftloop demo` prints, as a new user reads it.
@Suite struct DemoOutputTests {
    @Test func eachTransitionIsPrintedOnce() async throws {
        let scratch = try CLIScratch("demo-output")
        defer { scratch.remove() }
        let run = try await CLIRun.run(["demo", "--config", scratch.configPath])
        #expect(run.status == 0, "\(run.output.suffix(2000))")
        let transitions = run.output.split(separator: "\n").filter { $0.contains(" --") && $0.contains("--> ") }
        #expect(transitions.count >= 5, "\(run.output.suffix(2000))")
        #expect(Set(transitions).count == transitions.count, "a transition printed twice:\n\(transitions.joined(separator: "\n"))")
        #expect(transitions.filter { $0.contains("(start) --started--> ") }.count == 1, "\(transitions.joined(separator: "\n"))")

        // The history it left, exported in the API's key style (issue 21 item 20).
        let export = try await CLIRun.run(["export", "--config", scratch.configPath])
        #expect(export.status == 0, "\(export.output.suffix(2000))")
        let lines = export.output.split(separator: "\n").map { JSONValue.parse(String($0)) ?? .null }
        #expect(lines.count == 1 && lines.first?["cycle"]?["created_at"] != nil, "\(export.output.prefix(1000))")
        guard case .array(let triggers)? = lines.first?["triggers"] else {
            Issue.record("no triggers: \(export.output.prefix(1000))")
            return
        }
        #expect(triggers.first?["received_at"] != nil, "\(export.output.prefix(1000))")
        for line in lines { #expect(KeyStyleTests.camelCaseKeys(in: line) == [], "\(line.jsonText.prefix(1000))") }
    }
}

/// `demo --keep-running` with its output in a pipe: each line arrives as it is printed, and TERM stops it.
@Suite struct KeepRunningDemoTests {
    @Test func redirectedOutputArrivesLineByLineAndTermStopsTheServer() async throws {
        // Port 0: the demo keeps `listen`, so a fixed one could collide with another test.
        let scratch = try CLIScratch("demo-keep", listen: "127.0.0.1:0")
        defer { scratch.remove() }
        let demo = try scratch.start(["demo", "--keep-running"])
        // The process is still running, so whatever arrives was flushed line by line, not at exit.
        let arrived = await demo.wait(for: "server left running", seconds: 60)
        let text = demo.text
        #expect(demo.isRunning, "\(text.suffix(2000))")
        #expect(arrived, "the last line before waiting never arrived:\n\(text.suffix(2000))")
        demo.terminate()
        #expect(await demo.exitStatus(within: 10) != nil, "SIGTERM did not stop `demo --keep-running` within 10 s")
    }
}

/// `serve` stopped with SIGTERM says so, and what it kept.
@Suite struct ServeStopTests {
    @Test func termLogsTheStopAndWhatWasPersisted() async throws {
        let scratch = try CLIScratch("serve-stop", listen: "127.0.0.1:0")
        defer { scratch.remove() }
        let serve = try scratch.start(["serve"])
        #expect(await serve.wait(for: "driftloop is serving", seconds: 60), "\(serve.text.suffix(2000))")
        serve.terminate()
        let status = await serve.exitStatus(within: 15)
        let text = serve.text
        #expect(status == 0, "SIGTERM did not stop `serve` cleanly within 15 s (status \(String(describing: status))):\n\(text.suffix(2000))")
        #expect(text.contains("driftloop stopping"), "\(text.suffix(2000))")
        #expect(text.contains("driftloop stopped") && text.contains("unfinished_cycles=0"), "\(text.suffix(2000))")
    }
}
