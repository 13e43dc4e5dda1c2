/// A concept-drift detector fed one value at a time, with River's contract: the flags describe the last update
/// only, and a detector that flagged a drift starts afresh on its next update (that value is the first of the
/// new state), so every drift flag is an onset.
package protocol StreamDriftDetector: Sendable, Codable {
    mutating func update(_ x: Double)
    var driftDetected: Bool { get }
    /// Detectors without a warning zone always answer false.
    var warningDetected: Bool { get }
}

/// River's incremental mean, with its operation order (`m += (w/n)(x - m)`), so results agree bit for bit.
struct RunningMean: Sendable, Codable, Equatable {
    var n = 0.0
    var mean = 0.0

    mutating func update(_ x: Double) {
        self.n += 1
        self.mean += (1 / self.n) * (x - self.mean)
    }
}

/// River's Welford variance (`stats.Var`, ddof=1).
struct RunningVariance: Sendable, Codable, Equatable {
    var mean = RunningMean()
    var sumOfSquares = 0.0

    mutating func update(_ x: Double) {
        let old = self.mean.mean
        self.mean.update(x)
        self.sumOfSquares += 1 * (x - old) * (x - self.mean.mean)
    }

    var sampleVariance: Double {
        self.mean.n > 1 ? self.sumOfSquares / (self.mean.n - 1) : 0
    }
}
