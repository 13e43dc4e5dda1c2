import Foundation
import Testing

/// `driftloop detect` handles mistakes as `drift` does: exit 2, one line naming the file and line, the valid names,
/// and the operating system's reason.
@Suite struct DetectCommandTests {
    @Test func mistakesExitTwoWithWhatToDo() async throws {
        let scratch = try CLIScratch("detect")
        defer { scratch.remove() }
        let values = scratch.directory + "/values.txt"
        try "0.1\n0.5\nabc\n".write(toFile: values, atomically: true, encoding: .utf8)
        let notANumber = try await CLIRun.run(["detect", "--detector", "adwin", values])
        #expect(notANumber.status == 2 && notANumber.output.contains("values.txt:3: `abc` is not a number"), "\(notANumber.output)")
        #expect(!notANumber.output.contains("USAGE"), "a data error is not a usage error: \(notANumber.output)")

        let missing = try await CLIRun.run(["detect", "--detector", "adwin", scratch.directory + "/none.txt"])
        #expect(missing.status == 2 && missing.output.contains("none.txt: cannot be read: "), "\(missing.output)")
        #expect(missing.output.lowercased().contains("no such file"), "the OS reason: \(missing.output)")

        let detector = try await CLIRun.run(["detect", "--detector", "adwn", values])
        #expect(detector.status == 2 && detector.output.contains("`adwn` is not a detector; the detectors are adwin,"), "\(detector.output)")

        let parameter = try await CLIRun.run(["detect", "--detector", "adwin", "--param", "delt=0.1", values])
        #expect(parameter.status == 2, "\(parameter.output)")
        #expect(parameter.output.contains("`delt` is not a parameter of adwin; its parameters are delta, clock"), "\(parameter.output)")

        let scores = scratch.directory + "/scores.txt"
        try "0\n1\n0.37\n".write(toFile: scores, atomically: true, encoding: .utf8)
        let ddm = try await CLIRun.run(["detect", "--detector", "ddm", scores])
        #expect(ddm.status == 2 && ddm.output.contains("scores.txt:3: ddm reads 0 or 1 (1 = a wrong prediction) per line, not 0.37"), "\(ddm.output)")
        // The same values are fine for a detector of real numbers.
        let adwin = try await CLIRun.run(["detect", "--detector", "adwin", scores])
        #expect(adwin.status == 0, "\(adwin.output)")
    }
}
