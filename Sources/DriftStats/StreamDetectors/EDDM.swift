/// Early Drift Detection Method (Baena-García et al. 2006) as River 0.26 runs it: watches the distance between
/// consecutive errors. Input: 1 for an error. River's warning flag is sticky across correct predictions and new
/// maxima (MOA clears it); we follow River.
package struct EDDM: StreamDriftDetector {
    package var warmStart: Int
    package var alpha: Double
    package var beta: Double
    private var distances = RunningVariance()
    private var count = 0
    private var lastError = 0
    private var errorCount = 0
    private var maximum = -1.0
    package private(set) var driftDetected = false
    package private(set) var warningDetected = false

    package init(warmStart: Int = 30, alpha: Double = 0.95, beta: Double = 0.9) throws(DetectorParameterError) {
        guard alpha >= beta else { throw DetectorParameterError(parameter: "alpha", message: "must be greater than or equal to beta (\(beta))") }
        self.warmStart = warmStart
        self.alpha = alpha
        self.beta = beta
    }

    package mutating func update(_ x: Double) {
        if self.driftDetected {
            self.distances = RunningVariance()
            self.count = 0
            self.lastError = 0
            self.errorCount = 0
            self.maximum = -1
            self.driftDetected = false
            self.warningDetected = false
        }
        self.count += 1
        guard x == 1 else { return }
        self.errorCount += 1
        self.distances.update(Double(self.count - self.lastError))
        if self.count > self.warmStart {
            let level2s = self.distances.mean.mean + 2 * self.distances.sampleVariance.squareRoot()
            if level2s > self.maximum {
                self.maximum = level2s
            } else if self.errorCount > self.warmStart {
                let level = level2s / self.maximum
                if level < self.beta {
                    self.driftDetected = true
                } else if level < self.alpha {
                    self.warningDetected = true
                } else {
                    self.warningDetected = false
                }
            }
        }
        self.lastError = self.count
    }
}
