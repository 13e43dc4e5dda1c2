import Foundation

/// River's `DummyDriftDetector`: a drift every `t0` updates (fixed), or with probability
/// 1/(1+exp(-4(t-t0)/w)) (random, seeded). Useful to test what a pipeline does on a drift.
package struct DummyDriftDetector: StreamDriftDetector {
    package enum TriggerMethod: String, Sendable, Codable { case fixed, random }

    package var method: TriggerMethod
    package var t0: Int
    package var w: Int
    private var generator: MersenneTwister
    private var count = 0
    private var warmup = 0
    private var warmupDone = true
    package private(set) var driftDetected = false
    package var warningDetected: Bool { false }

    package init(method: TriggerMethod = .fixed, t0: Int = 300, w: Int = 0, seed: UInt64 = 0) throws(DetectorParameterError) {
        if method == .random && w == 0 {
            throw DetectorParameterError(parameter: "w", message: "must be greater than zero when trigger_method is random")
        }
        self.method = method
        self.t0 = t0
        self.w = w
        self.generator = MersenneTwister(seed: seed)
        if method == .fixed && w > 0 {
            self.warmup = 1 + self.generator.below(w + 1)
            self.warmupDone = false
        }
    }

    package mutating func update(_ x: Double) {
        self.count += 1
        self.driftDetected = false
        switch self.method {
        case .fixed:
            if !self.warmupDone {
                if self.count >= self.warmup {
                    self.count = 0
                    self.warmupDone = true
                }
            } else if self.count >= self.t0 {
                self.driftDetected = true
                self.count = 0
            }
        case .random:
            let threshold = 1 / (1 + Foundation.exp(-4 * Double(self.count - self.t0) / Double(self.w)))
            self.driftDetected = self.generator.nextDouble() < threshold
            if self.driftDetected { self.count = 0 }
        }
    }
}

/// River's `NoDrift`: never fires; a pipeline's placeholder detector.
package struct NoDrift: StreamDriftDetector {
    package init() {}
    package mutating func update(_ x: Double) {}
    package var driftDetected: Bool { false }
    package var warningDetected: Bool { false }
}
