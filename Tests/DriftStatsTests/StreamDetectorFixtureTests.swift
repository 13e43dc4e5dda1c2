import Foundation
import Testing

@testable import DriftStats

/// Every result River 0.26.1 produced on the shared streams (`Fixtures/river/detections.json`), reproduced exactly.
@Suite struct StreamDetectorFixtureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var stream: String
        var detector: String
        var config: String
        var parameters: [String: String]
        var complementInput: Bool
        var drift: [Int]
        var warning: [[Int]]
        var finalState: [String: Double]

        var testDescription: String { "\(self.detector) \(self.config) on \(self.stream)\(self.complementInput ? " (1-x)" : "")" }
    }

    static let fixtureDirectory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/river")

    static func loadCases() -> [Case] {
        let data = try! Data(contentsOf: Self.fixtureDirectory.appendingPathComponent("detections.json"))
        let root = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (root["results"] as! [[String: Any]]).map { result in
            let parameters = (result["params"] as? [String: Any] ?? [:]).mapValues { value -> String in
                if let number = value as? NSNumber { return number.stringValue }
                return "\(value)"
            }
            let finalState = (result["final_state"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.doubleValue }
            return Case(
                stream: result["stream"] as! String, detector: result["detector"] as! String, config: result["config"] as! String,
                parameters: parameters, complementInput: result["input"] as? String == "1-x", drift: result["drift"] as! [Int],
                warning: (result["warning_runs"] as? [[Int]]) ?? [], finalState: finalState)
        }
    }

    static func stream(_ name: String) -> [Double] {
        let text = try! String(contentsOf: Self.fixtureDirectory.appendingPathComponent("\(name).csv"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).compactMap { Double($0) }
    }

    static let riverNames = [
        "ADWIN": "adwin", "PageHinkley": "page-hinkley", "KSWIN": "kswin", "DDM": "ddm", "EDDM": "eddm", "HDDM_A": "hddm-a", "HDDM_W": "hddm-w",
        "FHDDM": "fhddm", "DummyDriftDetector": "dummy", "NoDrift": "no-drift",
    ]

    @Test(arguments: Self.loadCases())
    func reproducesRiver(_ fixture: Case) throws {
        var values = Self.stream(fixture.stream)
        if fixture.complementInput { values = values.map { 1 - $0 } }
        var detector = try AnyStreamDetector(name: Self.riverNames[fixture.detector]!, parameters: fixture.parameters)
        let run = DetectorRun(detector: &detector, stream: values)
        #expect(run.drift == fixture.drift)
        #expect(run.warning == fixture.warning)
        if let adwin = detector.adwin {
            #expect(adwin.width == fixture.finalState["width"])
            #expect(abs(adwin.total - fixture.finalState["total"]!) <= 1e-12 * abs(fixture.finalState["total"]!))
            #expect(abs(adwin.variance - fixture.finalState["variance"]!) <= 1e-12 * abs(fixture.finalState["variance"]!))
            #expect(abs(adwin.estimation - fixture.finalState["estimation"]!) <= 1e-12 * abs(fixture.finalState["estimation"]!))
        }
        if let kswin = detector.kswin {
            #expect(kswin.count == Int(fixture.finalState["n"]!))
            #expect(kswin.windowCount == Int(fixture.finalState["window_len"]!))
            #expect(abs(kswin.pValue - fixture.finalState["p_value"]!) <= 1e-12)
        }
    }

    @Test func mersenneTwisterMatchesCPython() {
        // random.Random(42): getrandbits(32) x3, then a fresh Random(42).sample(range(100), 5) and Random(7).random().
        var generator = MersenneTwister(seed: 42)
        #expect([generator.nextUInt32(), generator.nextUInt32(), generator.nextUInt32()] == [2_746_317_213, 478_163_327, 107_420_369])
        var sampler = MersenneTwister(seed: 42)
        #expect(sampler.sample(rangeCount: 100, k: 5) == [81, 14, 3, 94, 35])
        var uniform = MersenneTwister(seed: 7)
        #expect(uniform.nextDouble() == 0.32383276483316237)
    }

    @Test func unknownDetectorsAndParametersAreNamed() {
        #expect(throws: DetectorParameterError.self) { try AnyStreamDetector(name: "cusum") }
        #expect(
            throws: DetectorParameterError(
                parameter: "deltaa",
                message: "is not a parameter of adwin; its parameters are delta, clock, max_buckets, min_window_length, grace_period")
        ) {
            try AnyStreamDetector(name: "adwin", parameters: ["deltaa": "0.1"])
        }
        #expect(throws: DetectorParameterError.self) { try AnyStreamDetector(name: "adwin", parameters: ["delta": "abc"]) }
        #expect(throws: DetectorParameterError.self) { try AnyStreamDetector(name: "eddm", parameters: ["alpha": "0.5", "beta": "0.9"]) }
    }

    @Test func snapshotsResumeExactly() throws {
        let values = Self.stream("c_bernoulli")
        var straight = try AnyStreamDetector(name: "ddm")
        let expected = DetectorRun(detector: &straight, stream: values)
        var first = try AnyStreamDetector(name: "ddm")
        let head = DetectorRun(detector: &first, stream: Array(values[..<2500]))
        var resumed = try JSONDecoder().decode(AnyStreamDetector.self, from: JSONEncoder().encode(first))
        let tail = DetectorRun(detector: &resumed, stream: Array(values[2500...]))
        #expect(head.drift + tail.drift.map { $0 + 2500 } == expected.drift)
    }
}
