import Foundation

/// HDDM_W (Frías-Blanco et al. 2015, McDiarmid bounds on exponentially weighted averages) as River 0.26 runs it.
package struct HDDMW: StreamDriftDetector {
    /// An EWMA with its independent bounded condition (the sum of squared weights).
    struct Sample: Sendable, Codable {
        var lambda: Double
        var ewma = 0.0
        var initialized = false
        var ibc = 1.0

        mutating func update(_ x: Double) {
            self.ewma = self.initialized ? self.lambda * x + (1 - self.lambda) * self.ewma : x
            self.initialized = true
            self.ibc = self.lambda * self.lambda + (1 - self.lambda) * (1 - self.lambda) * self.ibc
        }
    }

    package var driftConfidence: Double
    package var warningConfidence: Double
    package var lambda: Double
    package var twoSided: Bool
    private var total: Sample
    private var increaseBefore: Sample
    private var increaseAfter: Sample
    private var decreaseBefore: Sample
    private var decreaseAfter: Sample
    private var increaseCut = Double.infinity
    private var decreaseCut = -Double.infinity
    package private(set) var driftDetected = false
    package private(set) var warningDetected = false

    package init(driftConfidence: Double = 0.001, warningConfidence: Double = 0.005, lambda: Double = 0.05, twoSided: Bool = false) {
        self.driftConfidence = driftConfidence
        self.warningConfidence = warningConfidence
        self.lambda = lambda
        self.twoSided = twoSided
        self.total = Sample(lambda: lambda)
        self.increaseBefore = Sample(lambda: lambda)
        self.increaseAfter = Sample(lambda: lambda)
        self.decreaseBefore = Sample(lambda: lambda)
        self.decreaseAfter = Sample(lambda: lambda)
    }

    private static func bound(_ ibc: Double, _ confidence: Double) -> Double {
        (ibc * Foundation.log(1 / confidence) / 2).squareRoot()
    }

    private static func changed(_ first: Sample, _ second: Sample, _ confidence: Double) -> Bool {
        guard first.initialized && second.initialized else { return false }
        return second.ewma - first.ewma > Self.bound(first.ibc + second.ibc, confidence)
    }

    package mutating func update(_ x: Double) {
        if self.driftDetected {
            self = HDDMW(
                driftConfidence: self.driftConfidence, warningConfidence: self.warningConfidence, lambda: self.lambda, twoSided: self.twoSided)
        }
        self.total.update(x)
        let epsilon = Self.bound(self.total.ibc, self.driftConfidence)
        if self.total.ewma + epsilon < self.increaseCut {
            self.increaseCut = self.total.ewma + epsilon
            self.increaseBefore = self.total
            self.increaseAfter = Sample(lambda: self.lambda)
        } else {
            self.increaseAfter.update(x)
        }
        if Self.changed(self.increaseBefore, self.increaseAfter, self.driftConfidence) {
            self.warningDetected = false
            self.driftDetected = true
        } else if Self.changed(self.increaseBefore, self.increaseAfter, self.warningConfidence) {
            self.warningDetected = true
            self.driftDetected = false
        } else {
            self.warningDetected = false
            self.driftDetected = false
        }
        let decreaseEpsilon = Self.bound(self.total.ibc, self.driftConfidence)
        if self.total.ewma - decreaseEpsilon > self.decreaseCut {
            self.decreaseCut = self.total.ewma - decreaseEpsilon
            self.decreaseBefore = self.total
            self.decreaseAfter = Sample(lambda: self.lambda)
        } else {
            self.decreaseAfter.update(x)
        }
        if self.twoSided {
            if Self.changed(self.decreaseAfter, self.decreaseBefore, self.driftConfidence) {
                self.driftDetected = true
            } else if Self.changed(self.decreaseAfter, self.decreaseBefore, self.warningConfidence) {
                self.warningDetected = true
            }
        }
    }
}
