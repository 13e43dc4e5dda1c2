/// One of the tricks that keep a whole `driftloop drift` process short (this folder holds them; BENCHMARKS.md,
/// "Start-up tricks", has every figure and the commands that measure them again).
extension DriftRun {
    /// Reads the usual shape of a `drift` command line without ArgumentParser: `--option value` pairs of known
    /// options, each at most once, whose values do not start with `-`, with `--reference` and `--current` given.
    /// ArgumentParser's type lookups on a binary this size, and its exit path, cost a small run a quarter of its time:
    /// measured (release, whole process, 40 interleaved pairs, 2026-12-07) on the bundled churn files, 18 ms through
    /// ArgumentParser against 14 ms here (x1.28). `DriftLoopCommand.main` calls it.
    /// Anything else (help, `--option=value`, a mistake) is nil, and ArgumentParser reads and reports it as usual.
    init?(arguments: ArraySlice<String>) {
        var values: [String: String] = [:]
        var rest = arguments[...]
        while let option = rest.popFirst() {
            guard let value = rest.popFirst(), !value.hasPrefix("-"), values[option] == nil else { return nil }
            values[option] = value
        }
        let known: Set = [
            "--reference", "--current", "--json", "--html", "--schema", "--columns", "--share", "--method", "--threshold", "--correction",
        ]
        guard values.keys.allSatisfy(known.contains), let reference = values["--reference"], let current = values["--current"] else {
            return nil
        }
        var share = 0.5
        if let text = values["--share"] {
            guard let value = Double(text) else { return nil }
            share = value
        }
        var threshold: Double?
        if let text = values["--threshold"] {
            guard let value = Double(text) else { return nil }
            threshold = value
        }
        self.init(
            reference: reference, current: current, json: values["--json"], html: values["--html"], schema: values["--schema"],
            columns: values["--columns"], share: share, method: values["--method"], threshold: threshold, correction: values["--correction"])
    }
}
