import Foundation

/// HDDM_A (Frías-Blanco et al. 2015, Hoeffding bounds on averages) as River 0.26 runs it, following MOA.
package struct HDDMA: StreamDriftDetector {
    package var driftConfidence: Double
    package var warningConfidence: Double
    package var twoSided: Bool
    private var total = RunningMean()
    private var cutForIncrease = RunningMean()
    private var cutForDecrease = RunningMean()
    package private(set) var driftDetected = false
    package private(set) var warningDetected = false

    package init(driftConfidence: Double = 0.001, warningConfidence: Double = 0.005, twoSided: Bool = false) {
        self.driftConfidence = driftConfidence
        self.warningConfidence = warningConfidence
        self.twoSided = twoSided
    }

    private func hoeffdingBound(_ n: Double) -> Double {
        (1.0 / (2 * n) * Foundation.log(1.0 / self.driftConfidence)).squareRoot()
    }

    package mutating func update(_ x: Double) {
        if self.driftDetected {
            self = HDDMA(driftConfidence: self.driftConfidence, warningConfidence: self.warningConfidence, twoSided: self.twoSided)
        }
        self.total.update(x)
        if self.cutForIncrease.n == 0 { self.cutForIncrease = self.total }
        if self.cutForDecrease.n == 0 { self.cutForDecrease = self.total }
        let totalBound = self.hoeffdingBound(self.total.n)
        if self.cutForIncrease.mean + self.hoeffdingBound(self.cutForIncrease.n) >= self.total.mean + totalBound {
            self.cutForIncrease = self.total
        }
        if self.cutForDecrease.mean - self.hoeffdingBound(self.cutForDecrease.n) <= self.total.mean - totalBound {
            self.cutForDecrease = self.total
        }
        if self.meanIncreased(self.driftConfidence) {
            self.warningDetected = false
            self.driftDetected = true
        } else if self.meanIncreased(self.warningConfidence) {
            self.warningDetected = true
            self.driftDetected = false
        } else {
            self.warningDetected = false
            self.driftDetected = false
        }
        if self.twoSided {
            if self.meanDecreased(self.driftConfidence) {
                self.driftDetected = true
            } else if self.meanDecreased(self.warningConfidence) {
                self.warningDetected = true
            }
        }
    }

    private func meanIncreased(_ confidence: Double) -> Bool {
        guard self.cutForIncrease.n != self.total.n else { return false }
        let m = (self.total.n - self.cutForIncrease.n) / self.cutForIncrease.n * (1.0 / self.total.n)
        return self.total.mean - self.cutForIncrease.mean >= (m / 2 * Foundation.log(2.0 / confidence)).squareRoot()
    }

    private func meanDecreased(_ confidence: Double) -> Bool {
        guard self.cutForDecrease.n != self.total.n else { return false }
        let m = (self.total.n - self.cutForDecrease.n) / self.cutForDecrease.n * (1.0 / self.total.n)
        return self.cutForDecrease.mean - self.total.mean >= (m / 2 * Foundation.log(2.0 / confidence)).squareRoot()
    }
}
