import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process a test started, with its standard output and error collected into one text.
///
/// Every wait suspends instead of blocking: tests share the cooperative pool (two threads on a 2-core machine) with
/// in-process servers and controllers, so a test that sat in `waitUntilExit`, `readDataToEndOfFile` or `usleep`
/// starved them; two such tests at once stalled every cycle, and a CLI asking an in-process server never got its
/// answer. The pipes are read and written on threads of their own.
final class TestProcess: Sendable {
    let process: Process
    private let received = Mutex(Data())
    private let outputClosed = Mutex(false)

    /// Starts `executable`; `input`, when given, is written to its standard input, which is then closed.
    init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        input: Data? = nil
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let inputPipe = input.map { _ in Pipe() }
        if let inputPipe { process.standardInput = inputPipe } else { process.standardInput = FileHandle.nullDevice }
        self.process = process
        try process.run()
        let reader = output.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                self.received.withLock { $0.append(chunk) }
            }
            self.outputClosed.withLock { $0 = true }
        }
        if let input, let writer = inputPipe?.fileHandleForWriting {
            Thread.detachNewThread {
                writer.write(input)
                try? writer.close()
            }
        }
    }

    /// What the process printed so far.
    var text: String { String(decoding: self.received.withLock { $0 }, as: UTF8.self) }
    var isRunning: Bool { self.process.isRunning }

    /// Waits until the output contains `marker`, the process ends, or `seconds` pass; returns whether it came.
    func wait(for marker: String, seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !self.text.contains(marker), self.process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return self.text.contains(marker)
    }

    /// Waits for the process to end and its output to be read; returns its status, or nil when it was still running
    /// after `seconds`, and then it is killed.
    func exitStatus(within seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while self.process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        guard !self.process.isRunning else {
            self.kill()
            return nil
        }
        // A grandchild may still hold the pipe; its output is not waited for past a moment.
        let drainBy = ContinuousClock.now + .seconds(2)
        while !self.outputClosed.withLock({ $0 }), ContinuousClock.now < drainBy { try? await Task.sleep(for: .milliseconds(10)) }
        return self.process.terminationStatus
    }

    /// SIGTERM.
    func terminate() { if self.process.isRunning { self.process.terminate() } }

    /// SIGKILL.
    func kill() { if self.process.isRunning { _ = Glibc.kill(self.process.processIdentifier, SIGKILL) } }

    deinit { self.kill() }
}
