import Foundation

/// Fast Hoeffding Drift Detection Method (Pesaranghader & Viktor 2016) as River 0.26 runs it: fires when the
/// share of 1s in the window drops. The paper feeds 1 for a correct prediction, so a drop means more errors;
/// River's docs say 1 means an error, which makes it detect improvements. `inputIsError` (our option) feeds it
/// `1 - x`, the paper's reading; the default keeps River's behaviour for parity.
package struct FHDDM: StreamDriftDetector {
    package var windowSize: Int
    package var confidence: Double
    package var shortWindowSize: Int?
    package var inputIsError: Bool
    private var window: [Double] = []
    private var head = 0
    private var ones = 0
    private var maximum = 0.0
    private var shortMaximum = 0.0
    package private(set) var driftDetected = false
    package var warningDetected: Bool { false }

    package init(windowSize: Int = 100, confidence: Double = 0.000001, shortWindowSize: Int? = nil, inputIsError: Bool = false)
        throws(DetectorParameterError)
    {
        guard windowSize > 0 else { throw DetectorParameterError(parameter: "sliding_window_size", message: "must be a positive integer") }
        if let shortWindowSize, !(1...windowSize).contains(shortWindowSize) {
            throw DetectorParameterError(parameter: "short_window_size", message: "must be between 1 and sliding_window_size (\(windowSize))")
        }
        self.windowSize = windowSize
        self.confidence = confidence
        self.shortWindowSize = shortWindowSize
        self.inputIsError = inputIsError
    }

    private var epsilon: Double { (Foundation.log(1 / self.confidence) / (2 * Double(self.windowSize))).squareRoot() }

    package mutating func update(_ raw: Double) {
        if self.driftDetected {
            self.window = []
            self.head = 0
            self.ones = 0
            self.maximum = 0
            self.shortMaximum = 0
            self.driftDetected = false
        }
        let x = self.inputIsError ? 1 - raw : raw
        // A ring buffer; `head` is the oldest element once the window is full.
        if self.window.count < self.windowSize {
            self.window.append(x)
        } else {
            if self.window[self.head] == 1 { self.ones -= 1 }
            self.window[self.head] = x
            self.head = (self.head + 1) % self.windowSize
        }
        if x == 1 { self.ones += 1 }
        guard self.window.count == self.windowSize else { return }
        let u = Double(self.ones) / Double(self.windowSize)
        self.maximum = self.maximum < u ? u : self.maximum
        var shortDrift = false
        if let shortWindowSize {
            var sum = 0.0
            for offset in (self.windowSize - shortWindowSize)..<self.windowSize {
                sum += self.window[(self.head + offset) % self.windowSize]
            }
            let shortMean = sum / Double(shortWindowSize)
            self.shortMaximum = self.shortMaximum < shortMean ? shortMean : self.shortMaximum
            let shortEpsilon = (Foundation.log(1 / self.confidence) / (2 * Double(shortWindowSize))).squareRoot()
            shortDrift = self.shortMaximum - shortMean > shortEpsilon
        }
        self.driftDetected = self.maximum - u > self.epsilon || shortDrift
    }
}
