import Foundation
import Synchronization
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
        // The process is still running, so whatever arrives was flushed line by line, not at exit. Read off the
        // test's task, so output that never comes fails at the deadline instead of blocking the test.
        let received = Mutex("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            received.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
        }
        defer { output.fileHandleForReading.readabilityHandler = nil }
        let deadline = Date().addingTimeInterval(60)
        while !received.withLock({ $0.contains("server left running") }), Date() < deadline, process.isRunning { usleep(50_000) }
        let text = received.withLock { $0 }
        #expect(process.isRunning, "\(text.suffix(2000))")
        #expect(text.contains("server left running"), "the last line before waiting never arrived:\n\(text.suffix(2000))")
        process.terminate()
        let stopBy = Date().addingTimeInterval(10)
        while process.isRunning, Date() < stopBy { usleep(50_000) }
        #expect(!process.isRunning, "SIGTERM did not stop `demo --keep-running` within 10 s")
    }
}
