import Foundation
import Testing

/// What `driftloop demo` prints, as a new user reads it.
@Suite struct DemoOutputTests {
    @Test func eachTransitionIsPrintedOnce() throws {
        let scratch = try CLIScratch("demo-output")
        defer { scratch.remove() }
        let run = try CLIRun.run(["demo", "--config", scratch.configPath])
        #expect(run.status == 0, "\(run.output.suffix(2000))")
        let transitions = run.output.split(separator: "\n").filter { $0.contains(" --") && $0.contains("--> ") }
        #expect(transitions.count >= 5, "\(run.output.suffix(2000))")
        #expect(Set(transitions).count == transitions.count, "a transition printed twice:\n\(transitions.joined(separator: "\n"))")
        #expect(transitions.filter { $0.contains("(start) --started--> ") }.count == 1, "\(transitions.joined(separator: "\n"))")
    }
}

/// `demo --keep-running` with its output in a pipe: each line arrives as it is printed, and TERM stops it.
@Suite struct KeepRunningDemoTests {
    @Test func redirectedOutputArrivesLineByLineAndTermStopsTheServer() throws {
        // Port 0: the demo keeps `listen`, so a fixed one could collide with another test.
        let scratch = try CLIScratch("demo-keep", listen: "127.0.0.1:0")
        defer { scratch.remove() }
        let (process, output) = try scratch.start(["demo", "--keep-running"])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // The process is still running, so whatever arrives was flushed line by line, not at exit.
        let collected = OutputCollector(output)
        let arrived = collected.wait(for: "server left running", from: process, seconds: 60)
        let text = collected.text
        #expect(process.isRunning, "\(text.suffix(2000))")
        #expect(arrived, "the last line before waiting never arrived:\n\(text.suffix(2000))")
        process.terminate()
        let stopBy = Date().addingTimeInterval(10)
        while process.isRunning, Date() < stopBy { usleep(50_000) }
        #expect(!process.isRunning, "SIGTERM did not stop `demo --keep-running` within 10 s")
    }
}

/// `serve` stopped with SIGTERM says so, and what it kept.
@Suite struct ServeStopTests {
    @Test func termLogsTheStopAndWhatWasPersisted() throws {
        let scratch = try CLIScratch("serve-stop", listen: "127.0.0.1:0")
        defer { scratch.remove() }
        let (process, output) = try scratch.start(["serve"])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let collected = OutputCollector(output)
        #expect(collected.wait(for: "driftloop is serving", from: process, seconds: 60), "\(collected.text.suffix(2000))")
        process.terminate()
        let stopBy = Date().addingTimeInterval(15)
        while process.isRunning, Date() < stopBy { usleep(50_000) }
        #expect(!process.isRunning, "SIGTERM did not stop `serve` within 15 s")
        usleep(200_000)
        let text = collected.text
        #expect(process.isRunning || process.terminationStatus == 0, "\(text.suffix(2000))")
        #expect(text.contains("driftloop stopping"), "\(text.suffix(2000))")
        #expect(text.contains("driftloop stopped") && text.contains("unfinished_cycles=0"), "\(text.suffix(2000))")
    }
}
