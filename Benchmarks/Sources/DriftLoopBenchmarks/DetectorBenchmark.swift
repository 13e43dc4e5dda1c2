import DriftLoop
import DriftStats
import Foundation

/// Updates per second of each stream detector on a 1,000,000-value stream (Gaussian with a shift half-way for
/// real-valued detectors, Bernoulli errors 0.10 → 0.35 for the binary ones), the workload River was measured on.
enum DetectorBenchmark {
    static func run(count: Int, only: String?) throws {
        var generator = SplitMix64(seed: 1)
        let gaussian = (0..<count).map { i in generator.nextGaussian() + (i < count / 2 ? 0 : 1.5) }
        let bernoulli = (0..<count).map { i in generator.nextUniform() < (i < count / 2 ? 0.10 : 0.35) ? 1.0 : 0.0 }
        let cases: [(String, [String: String], [Double])] = [
            ("adwin", [:], gaussian), ("page-hinkley", [:], gaussian), ("kswin", ["seed": "42"], gaussian), ("ddm", [:], bernoulli),
            ("eddm", [:], bernoulli), ("hddm-a", [:], bernoulli), ("hddm-w", [:], bernoulli), ("fhddm", [:], bernoulli),
        ]
        for (name, parameters, stream) in cases where only == nil || only == name {
            var detector = try AnyStreamDetector(name: name, parameters: parameters)
            let clock = ContinuousClock()
            let start = clock.now
            var drifts = 0
            for value in stream {
                detector.update(value)
                if detector.driftDetected { drifts += 1 }
            }
            let seconds = (clock.now - start).seconds
            let label = name.padding(toLength: 13, withPad: " ", startingAt: 0)
            print(label + String(format: "%11.0f updates/s  (%d values in %.3f s, %d drifts)", Double(count) / seconds, count, seconds, drifts))
        }
    }
}

/// Uniform and normal draws from the product's seeded generator, so every run measures the same stream.
extension SplitMix64 {
    mutating func nextUniform() -> Double { Double(self.next() >> 11) / Double(1 << 53) }

    mutating func nextGaussian() -> Double {
        let u1 = max(self.nextUniform(), .leastNonzeroMagnitude)
        let u2 = self.nextUniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
    }
}
