import Foundation

/// Drift Detection Method (Gama et al. 2004) as River 0.26 runs it. Input: 1 for an error, 0 for a correct
/// prediction. River keeps MOA's quirk: if the first `warmStart` inputs are all correct, the stored minimum has
/// zero spread and the first error is a drift; we keep it for parity (see DEVIATIONS in the README).
package struct DDM: StreamDriftDetector {
    package var warmStart: Int
    package var warningThreshold: Double
    package var driftThreshold: Double
    private var errorRate = RunningMean()
    private var minimumRate = Double.infinity
    private var minimumSpread = Double.infinity
    private var minimumSum = Double.infinity
    package private(set) var driftDetected = false
    package private(set) var warningDetected = false

    package init(warmStart: Int = 30, warningThreshold: Double = 2.0, driftThreshold: Double = 3.0) {
        self.warmStart = warmStart
        self.warningThreshold = warningThreshold
        self.driftThreshold = driftThreshold
    }

    package mutating func update(_ x: Double) {
        if self.driftDetected {
            self = DDM(warmStart: self.warmStart, warningThreshold: self.warningThreshold, driftThreshold: self.driftThreshold)
        }
        self.errorRate.update(x)
        let p = self.errorRate.mean
        let n = self.errorRate.n
        let s = (p * (1 - p) / n).squareRoot()
        guard n > Double(self.warmStart) else { return }
        if p + s <= self.minimumSum {
            self.minimumRate = p
            self.minimumSpread = s
            self.minimumSum = self.minimumRate + self.minimumSpread
        }
        self.warningDetected = p + s > self.minimumRate + self.warningThreshold * self.minimumSpread
        if p + s > self.minimumRate + self.driftThreshold * self.minimumSpread {
            self.driftDetected = true
            self.warningDetected = false
        }
    }
}
