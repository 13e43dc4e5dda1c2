import Foundation

/// Any of the stream detectors, built from River's class and parameter names; Codable, so a monitor's detector
/// state can be stored as a compact snapshot and resumed after a restart.
public enum AnyStreamDetector: StreamDriftDetector {
    case adwin(ADWIN)
    case pageHinkley(PageHinkley)
    case kswin(KSWIN)
    case ddm(DDM)
    case eddm(EDDM)
    case hddmA(HDDMA)
    case hddmW(HDDMW)
    case fhddm(FHDDM)
    case dummy(DummyDriftDetector)
    case noDrift(NoDrift)

    public static let names = ["adwin", "page-hinkley", "kswin", "ddm", "eddm", "hddm-a", "hddm-w", "fhddm", "dummy", "no-drift"]

    /// - Parameters:
    ///   - name: one of `names` (River's class names, lower-cased and hyphenated, are accepted too).
    ///   - parameters: River's parameter names and values as text, e.g. `["delta": "0.01", "clock": "1"]`.
    public init(name: String, parameters: [String: String] = [:]) throws(DetectorParameterError) {
        var reader = ParameterReader(parameters)
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "adwin":
            self = .adwin(
                try ADWIN(
                    delta: try reader.double("delta", 0.002), clock: try reader.int("clock", 32), maxBuckets: try reader.int("max_buckets", 5),
                    minWindowLength: try reader.int("min_window_length", 5), gracePeriod: try reader.int("grace_period", 10)))
        case "page-hinkley", "pagehinkley", "ph":
            let modeText = try reader.string("mode", "both")
            guard let mode = PageHinkley.Mode(rawValue: modeText) else {
                throw DetectorParameterError(parameter: "mode", message: "is `\(modeText)`; expected up, down or both")
            }
            self = .pageHinkley(
                PageHinkley(
                    minInstances: try reader.int("min_instances", 30), delta: try reader.double("delta", 0.005),
                    threshold: try reader.double("threshold", 50), alpha: try reader.double("alpha", 1 - 0.0001), mode: mode))
        case "kswin":
            self = .kswin(
                try KSWIN(
                    alpha: try reader.double("alpha", 0.005), windowSize: try reader.int("window_size", 100), statSize: try reader.int("stat_size", 30),
                    seed: UInt64(try reader.int("seed", 0))))
        case "ddm":
            self = .ddm(
                DDM(
                    warmStart: try reader.int("warm_start", 30), warningThreshold: try reader.double("warning_threshold", 2),
                    driftThreshold: try reader.double("drift_threshold", 3)))
        case "eddm":
            self = .eddm(try EDDM(warmStart: try reader.int("warm_start", 30), alpha: try reader.double("alpha", 0.95), beta: try reader.double("beta", 0.9)))
        case "hddm-a", "hddma":
            self = .hddmA(
                HDDMA(
                    driftConfidence: try reader.double("drift_confidence", 0.001), warningConfidence: try reader.double("warning_confidence", 0.005),
                    twoSided: try reader.bool("two_sided_test", false)))
        case "hddm-w", "hddmw":
            self = .hddmW(
                HDDMW(
                    driftConfidence: try reader.double("drift_confidence", 0.001), warningConfidence: try reader.double("warning_confidence", 0.005),
                    lambda: try reader.double("lambda_val", 0.05), twoSided: try reader.bool("two_sided_test", false)))
        case "fhddm":
            let short = try reader.optionalInt("short_window_size")
            self = .fhddm(
                try FHDDM(
                    windowSize: try reader.int("sliding_window_size", 100), confidence: try reader.double("confidence_level", 0.000001),
                    shortWindowSize: short, inputIsError: try reader.bool("input_is_error", false)))
        case "dummy", "dummydriftdetector":
            let methodText = try reader.string("trigger_method", "fixed")
            guard let method = DummyDriftDetector.TriggerMethod(rawValue: methodText) else {
                throw DetectorParameterError(parameter: "trigger_method", message: "is `\(methodText)`; expected fixed or random")
            }
            self = .dummy(try DummyDriftDetector(method: method, t0: try reader.int("t_0", 300), w: try reader.int("w", 0), seed: UInt64(try reader.int("seed", 0))))
        case "no-drift", "nodrift":
            self = .noDrift(NoDrift())
        default:
            throw DetectorParameterError(parameter: "detector", message: "`\(name)` is unknown; expected one of \(Self.names.joined(separator: ", "))")
        }
        if let unknown = reader.unused.sorted().first {
            throw DetectorParameterError(parameter: unknown, message: "is not a parameter of \(name)")
        }
    }

    public mutating func update(_ x: Double) {
        // Take the payload out before mutating it, so its arrays are uniquely referenced and not copied on write.
        switch self {
        case .adwin(var d):
            self = .noDrift(NoDrift())
            d.update(x)
            self = .adwin(d)
        case .pageHinkley(var d):
            self = .noDrift(NoDrift())
            d.update(x)
            self = .pageHinkley(d)
        case .kswin(var d):
            self = .noDrift(NoDrift())
            d.update(x)
            self = .kswin(d)
        case .ddm(var d):
            self = .noDrift(NoDrift())
            d.update(x)
            self = .ddm(d)
        case .eddm(var d):
            self = .noDrift(NoDrift())
            d.update(x)
            self = .eddm(d)
        case .hddmA(var d):
            self = .noDrift(NoDrift())
            d.update(x)
            self = .hddmA(d)
        case .hddmW(var d):
            self = .noDrift(NoDrift())
            d.update(x)
            self = .hddmW(d)
        case .fhddm(var d):
            self = .noDrift(NoDrift())
            d.update(x)
            self = .fhddm(d)
        case .dummy(var d):
            self = .noDrift(NoDrift())
            d.update(x)
            self = .dummy(d)
        case .noDrift: break
        }
    }

    // Switching here, rather than through an existential, keeps flag reads free of boxing a copy of the detector.
    public var driftDetected: Bool {
        switch self {
        case .adwin(let d): d.driftDetected
        case .pageHinkley(let d): d.driftDetected
        case .kswin(let d): d.driftDetected
        case .ddm(let d): d.driftDetected
        case .eddm(let d): d.driftDetected
        case .hddmA(let d): d.driftDetected
        case .hddmW(let d): d.driftDetected
        case .fhddm(let d): d.driftDetected
        case .dummy(let d): d.driftDetected
        case .noDrift: false
        }
    }

    public var warningDetected: Bool {
        switch self {
        case .ddm(let d): d.warningDetected
        case .eddm(let d): d.warningDetected
        case .hddmA(let d): d.warningDetected
        case .hddmW(let d): d.warningDetected
        case .adwin, .pageHinkley, .kswin, .fhddm, .dummy, .noDrift: false
        }
    }
}

/// Reads River-named parameters from text, remembering which were used so unknown ones can be reported.
struct ParameterReader {
    private let values: [String: String]
    private(set) var unused: Set<String>

    init(_ values: [String: String]) {
        self.values = values
        self.unused = Set(values.keys)
    }

    mutating func string(_ name: String, _ fallback: String) throws(DetectorParameterError) -> String {
        self.unused.remove(name)
        return self.values[name] ?? fallback
    }

    mutating func double(_ name: String, _ fallback: Double) throws(DetectorParameterError) -> Double {
        self.unused.remove(name)
        guard let text = self.values[name] else { return fallback }
        guard let value = Double(text), value.isFinite else { throw DetectorParameterError(parameter: name, message: "is `\(text)`; expected a number") }
        return value
    }

    mutating func int(_ name: String, _ fallback: Int) throws(DetectorParameterError) -> Int {
        try self.optionalInt(name) ?? fallback
    }

    mutating func optionalInt(_ name: String) throws(DetectorParameterError) -> Int? {
        self.unused.remove(name)
        guard let text = self.values[name], text != "None" else { return nil }
        guard let value = Int(text), value >= 0 else { throw DetectorParameterError(parameter: name, message: "is `\(text)`; expected a non-negative integer") }
        return value
    }

    mutating func bool(_ name: String, _ fallback: Bool) throws(DetectorParameterError) -> Bool {
        self.unused.remove(name)
        guard let text = self.values[name] else { return fallback }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw DetectorParameterError(parameter: name, message: "is `\(text)`; expected true or false")
        }
    }
}
