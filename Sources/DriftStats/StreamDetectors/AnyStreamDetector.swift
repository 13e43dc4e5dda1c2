import Foundation

/// Any of the stream detectors, built from River's class and parameter names; Codable, so a monitor's detector
/// state can be stored as a compact snapshot and resumed after a restart.
///
/// One optional slot per detector type, exactly one filled: mutating `slot!` updates the detector in place, where
/// an enum payload would have to be copied out and back (retaining and releasing its arrays on every update).
public struct AnyStreamDetector: StreamDriftDetector {
    enum Kind: String, Sendable, Codable {
        case adwin, pageHinkley, kswin, ddm, eddm, hddmA, hddmW, fhddm, dummy, noDrift
    }

    /// The values a detector is defined on, as River documents them: the error detectors read 0/1 (1 = a wrong
    /// prediction), HDDM reads values in [0, 1], the rest any real number.
    package enum InputDomain: Sendable {
        case realNumbers, zeroOrOne, unitInterval

        package var expectation: String {
            switch self {
            case .realNumbers: "any number"
            case .zeroOrOne: "0 or 1 (1 = a wrong prediction)"
            case .unitInterval: "a value between 0 and 1"
            }
        }

        package func accepts(_ value: Double) -> Bool {
            switch self {
            case .realNumbers: value.isFinite
            case .zeroOrOne: value == 0 || value == 1
            case .unitInterval: (0...1).contains(value)
            }
        }
    }

    package var inputDomain: InputDomain {
        switch self.kind {
        case .ddm, .eddm, .fhddm: .zeroOrOne
        case .hddmA, .hddmW: .unitInterval
        case .adwin, .pageHinkley, .kswin, .dummy, .noDrift: .realNumbers
        }
    }

    enum Made {
        case adwin(ADWIN), pageHinkley(PageHinkley), kswin(KSWIN), ddm(DDM), eddm(EDDM), hddmA(HDDMA), hddmW(HDDMW), fhddm(FHDDM)
        case dummy(DummyDriftDetector), noDrift(NoDrift)
    }

    let kind: Kind
    package private(set) var adwin: ADWIN?
    private var pageHinkley: PageHinkley?
    package private(set) var kswin: KSWIN?
    private var ddm: DDM?
    private var eddm: EDDM?
    private var hddmA: HDDMA?
    private var hddmW: HDDMW?
    private var fhddm: FHDDM?
    private var dummy: DummyDriftDetector?

    package static let names = ["adwin", "page-hinkley", "kswin", "ddm", "eddm", "hddm-a", "hddm-w", "fhddm", "dummy", "no-drift"]

    private init(_ made: Made) {
        switch made {
        case .adwin(let d): self.kind = .adwin; self.adwin = d
        case .pageHinkley(let d): self.kind = .pageHinkley; self.pageHinkley = d
        case .kswin(let d): self.kind = .kswin; self.kswin = d
        case .ddm(let d): self.kind = .ddm; self.ddm = d
        case .eddm(let d): self.kind = .eddm; self.eddm = d
        case .hddmA(let d): self.kind = .hddmA; self.hddmA = d
        case .hddmW(let d): self.kind = .hddmW; self.hddmW = d
        case .fhddm(let d): self.kind = .fhddm; self.fhddm = d
        case .dummy(let d): self.kind = .dummy; self.dummy = d
        case .noDrift: self.kind = .noDrift
        }
    }

    /// - Parameters:
    ///   - name: one of `names` (River's class names, lower-cased and hyphenated, are accepted too).
    ///   - parameters: River's parameter names and values as text, e.g. `["delta": "0.01", "clock": "1"]`.
    public init(name: String, parameters: [String: String] = [:]) throws(DetectorParameterError) {
        let made: Made
        var reader = ParameterReader(parameters)
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "adwin":
            made = .adwin(
                try ADWIN(
                    delta: try reader.double("delta", 0.002), clock: try reader.int("clock", 32), maxBuckets: try reader.int("max_buckets", 5),
                    minWindowLength: try reader.int("min_window_length", 5), gracePeriod: try reader.int("grace_period", 10)))
        case "page-hinkley", "pagehinkley", "ph":
            let modeText = try reader.string("mode", "both")
            guard let mode = PageHinkley.Mode(rawValue: modeText) else {
                throw DetectorParameterError(parameter: "mode", message: "is `\(modeText)`; expected up, down or both")
            }
            made = .pageHinkley(
                PageHinkley(
                    minInstances: try reader.int("min_instances", 30), delta: try reader.double("delta", 0.005),
                    threshold: try reader.double("threshold", 50), alpha: try reader.double("alpha", 1 - 0.0001), mode: mode))
        case "kswin":
            made = .kswin(
                try KSWIN(
                    alpha: try reader.double("alpha", 0.005), windowSize: try reader.int("window_size", 100),
                    statSize: try reader.int("stat_size", 30),
                    seed: UInt64(try reader.int("seed", 0))))
        case "ddm":
            made = .ddm(
                DDM(
                    warmStart: try reader.int("warm_start", 30), warningThreshold: try reader.double("warning_threshold", 2),
                    driftThreshold: try reader.double("drift_threshold", 3)))
        case "eddm":
            made = .eddm(
                try EDDM(warmStart: try reader.int("warm_start", 30), alpha: try reader.double("alpha", 0.95), beta: try reader.double("beta", 0.9)))
        case "hddm-a", "hddma":
            made = .hddmA(
                HDDMA(
                    driftConfidence: try reader.double("drift_confidence", 0.001), warningConfidence: try reader.double("warning_confidence", 0.005),
                    twoSided: try reader.bool("two_sided_test", false)))
        case "hddm-w", "hddmw":
            made = .hddmW(
                HDDMW(
                    driftConfidence: try reader.double("drift_confidence", 0.001), warningConfidence: try reader.double("warning_confidence", 0.005),
                    lambda: try reader.double("lambda_val", 0.05), twoSided: try reader.bool("two_sided_test", false)))
        case "fhddm":
            let short = try reader.optionalInt("short_window_size")
            made = .fhddm(
                try FHDDM(
                    windowSize: try reader.int("sliding_window_size", 100), confidence: try reader.double("confidence_level", 0.000001),
                    shortWindowSize: short, inputIsError: try reader.bool("input_is_error", false)))
        case "dummy", "dummydriftdetector":
            let methodText = try reader.string("trigger_method", "fixed")
            guard let method = DummyDriftDetector.TriggerMethod(rawValue: methodText) else {
                throw DetectorParameterError(parameter: "trigger_method", message: "is `\(methodText)`; expected fixed or random")
            }
            made = .dummy(
                try DummyDriftDetector(
                    method: method, t0: try reader.int("t_0", 300), w: try reader.int("w", 0), seed: UInt64(try reader.int("seed", 0))))
        case "no-drift", "nodrift":
            made = .noDrift(NoDrift())
        default:
            throw DetectorParameterError(
                parameter: "detector", message: "`\(name)` is not a detector; the detectors are \(Self.names.joined(separator: ", "))")
        }
        if let unknown = reader.unused.sorted().first {
            throw DetectorParameterError(
                parameter: unknown, message: "is not a parameter of \(name); its parameters are \(reader.asked.joined(separator: ", "))")
        }
        self.init(made)
    }

    /// The flags of the last update, kept here so reading them touches no detector state.
    public private(set) var driftDetected = false
    package private(set) var warningDetected = false

    public mutating func update(_ x: Double) {
        switch self.kind {
        case .adwin:
            self.adwin!.update(x)
            self.driftDetected = self.adwin!.driftDetected
        case .pageHinkley:
            self.pageHinkley!.update(x)
            self.driftDetected = self.pageHinkley!.driftDetected
        case .kswin:
            self.kswin!.update(x)
            self.driftDetected = self.kswin!.driftDetected
        case .ddm:
            self.ddm!.update(x)
            (self.driftDetected, self.warningDetected) = (self.ddm!.driftDetected, self.ddm!.warningDetected)
        case .eddm:
            self.eddm!.update(x)
            (self.driftDetected, self.warningDetected) = (self.eddm!.driftDetected, self.eddm!.warningDetected)
        case .hddmA:
            self.hddmA!.update(x)
            (self.driftDetected, self.warningDetected) = (self.hddmA!.driftDetected, self.hddmA!.warningDetected)
        case .hddmW:
            self.hddmW!.update(x)
            (self.driftDetected, self.warningDetected) = (self.hddmW!.driftDetected, self.hddmW!.warningDetected)
        case .fhddm:
            self.fhddm!.update(x)
            self.driftDetected = self.fhddm!.driftDetected
        case .dummy:
            self.dummy!.update(x)
            self.driftDetected = self.dummy!.driftDetected
        case .noDrift:
            break
        }
    }
}

/// Reads River-named parameters from text, remembering which were used so unknown ones can be reported.
struct ParameterReader {
    private let values: [String: String]
    private(set) var unused: Set<String>
    /// Every parameter the detector reads, in its order, for naming the valid ones.
    private(set) var asked: [String] = []

    init(_ values: [String: String]) {
        self.values = values
        self.unused = Set(values.keys)
    }

    mutating func string(_ name: String, _ fallback: String) throws(DetectorParameterError) -> String {
        self.unused.remove(name)
        self.asked.append(name)
        return self.values[name] ?? fallback
    }

    mutating func double(_ name: String, _ fallback: Double) throws(DetectorParameterError) -> Double {
        self.unused.remove(name)
        self.asked.append(name)
        guard let text = self.values[name] else { return fallback }
        guard let value = Double(text), value.isFinite else {
            throw DetectorParameterError(parameter: name, message: "is `\(text)`; expected a number")
        }
        return value
    }

    mutating func int(_ name: String, _ fallback: Int) throws(DetectorParameterError) -> Int {
        try self.optionalInt(name) ?? fallback
    }

    mutating func optionalInt(_ name: String) throws(DetectorParameterError) -> Int? {
        self.unused.remove(name)
        self.asked.append(name)
        guard let text = self.values[name], text != "None" else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw DetectorParameterError(parameter: name, message: "is `\(text)`; expected a non-negative integer")
        }
        return value
    }

    mutating func bool(_ name: String, _ fallback: Bool) throws(DetectorParameterError) -> Bool {
        self.unused.remove(name)
        self.asked.append(name)
        guard let text = self.values[name] else { return fallback }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw DetectorParameterError(parameter: name, message: "is `\(text)`; expected true or false")
        }
    }
}
