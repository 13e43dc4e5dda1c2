import Foundation
import Testing

@testable import DriftLoop

/// Issue 21 item 18: a second controller on one SQLite store is refused, naming the process that holds it.
@Suite struct SecondControllerTests {
    @Test func theLockNamesItsHolderAndIsFreeAgainOnceReleased() throws {
        let directory = TemporaryDirectory()
        let store = directory.file("data/driftloop.sqlite")
        let holder = SQLiteControllerLock.Holder(pid: 4242, command: "driftloop serve", listen: "127.0.0.1:8080", startedAt: Date())
        let first = try SQLiteControllerLock(storePath: store, holder: holder)
        #expect(throws: StoreOpenError.self) { try SQLiteControllerLock(storePath: store, holder: .current(listen: "127.0.0.1:0")) }
        do {
            _ = try SQLiteControllerLock(storePath: store, holder: .current(listen: "127.0.0.1:0"))
        } catch let error as StoreOpenError {
            #expect(error.message.contains("\(store) is in use by another driftloop controller, pid 4242 (`driftloop serve`"), "\(error)")
            #expect(error.message.contains("listening on 127.0.0.1:8080") && error.message.contains("own data_dir"), "\(error)")
        }
        first.release()
        let second = try SQLiteControllerLock(storePath: store, holder: .current(listen: "127.0.0.1:0"))
        second.release()
    }

    @Test func demoBesideARunningServeIsRefusedWithServesPid() async throws {
        let scratch = try CLIScratch("second-controller", listen: "127.0.0.1:0")
        defer { scratch.remove() }
        let serve = try scratch.start(["serve"])
        #expect(await serve.wait(for: "driftloop is serving", seconds: 60), "\(serve.text.suffix(2000))")
        let demo = try await CLIRun.run(["demo", "--config", scratch.configPath], seconds: 60)
        #expect(demo.status == 2, "\(demo.output.suffix(2000))")
        #expect(demo.output.contains("is in use by another driftloop controller, pid \(serve.process.processIdentifier)"), "\(demo.output)")
        #expect(demo.output.contains("`driftloop serve"), "\(demo.output)")
        #expect(!demo.output.contains("--started-->"), "the refused demo ran a cycle:\n\(demo.output)")
        serve.terminate()
        #expect(await serve.exitStatus(within: 15) == 0, "\(serve.text.suffix(2000))")
        // The lock goes with the process: the next controller starts.
        let after = try await CLIRun.run(["demo", "--config", scratch.configPath])
        #expect(after.status == 0, "\(after.output.suffix(2000))")
    }
}
