/// Page-Hinkley test as River 0.26 runs it: a cumulative sum with a forgetting factor `alpha`, testing for an
/// increase, a decrease or both (River's default; MOA tests increases only). The decrease branch starts its
/// maximum at -1, not -inf, as River does.
package struct PageHinkley: StreamDriftDetector {
    package enum Mode: String, Sendable, Codable { case up, down, both }

    package var minInstances: Int
    package var delta: Double
    package var threshold: Double
    package var alpha: Double
    package var mode: Mode
    private var mean = RunningMean()
    private var sumUp = 0.0
    private var sumDown = 0.0
    private var minUp = Double.infinity
    private var maxDown = -1.0
    package private(set) var driftDetected = false
    package var warningDetected: Bool { false }

    package init(minInstances: Int = 30, delta: Double = 0.005, threshold: Double = 50, alpha: Double = 1 - 0.0001, mode: Mode = .both) {
        self.minInstances = minInstances
        self.delta = delta
        self.threshold = threshold
        self.alpha = alpha
        self.mode = mode
    }

    package mutating func update(_ x: Double) {
        if self.driftDetected {
            self = PageHinkley(minInstances: self.minInstances, delta: self.delta, threshold: self.threshold, alpha: self.alpha, mode: self.mode)
        }
        self.mean.update(x)
        let deviation = x - self.mean.mean
        self.sumUp = self.alpha * self.sumUp + deviation - self.delta
        self.sumDown = self.alpha * self.sumDown + deviation + self.delta
        self.minUp = min(self.minUp, self.sumUp)
        self.maxDown = max(self.maxDown, self.sumDown)
        guard self.mean.n >= Double(self.minInstances) else { return }
        let up = self.sumUp - self.minUp > self.threshold
        let down = self.maxDown - self.sumDown > self.threshold
        switch self.mode {
        case .up: self.driftDetected = up
        case .down: self.driftDetected = down
        case .both: self.driftDetected = up || down
        }
    }
}
