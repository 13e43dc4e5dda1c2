import Foundation

/// Kolmogorov-Smirnov WINdowing (Raab et al. 2020) as River 0.26 runs it: each update compares the last
/// `statSize` values with `statSize` values drawn from the older part of the window, with a fresh draw every
/// update; drift iff the exact KS p-value <= `alpha` and the statistic > 0.1. Draws use CPython's MT19937
/// seeded with `seed`, re-seeded at every reset as River does. River's unseeded default is not reproducible, so
/// we require a seed (default 0) to make every run repeatable.
package struct KSWIN: StreamDriftDetector {
    package var alpha: Double
    package var windowSize: Int
    package var statSize: Int
    package var seed: UInt64
    private var window: [Double] = []
    private var head = 0
    private var generator: MersenneTwister
    package private(set) var count = 0
    package private(set) var pValue = 0.0
    package private(set) var driftDetected = false
    package var warningDetected: Bool { false }

    package init(alpha: Double = 0.005, windowSize: Int = 100, statSize: Int = 30, seed: UInt64 = 0) throws(DetectorParameterError) {
        guard alpha > 0, alpha < 1 else { throw DetectorParameterError(parameter: "alpha", message: "must be in (0, 1)") }
        guard statSize > 0, windowSize > statSize else {
            throw DetectorParameterError(parameter: "stat_size", message: "must be positive and smaller than window_size (\(windowSize))")
        }
        // CPython's sample() needs k <= n for the older part of the window.
        guard statSize <= windowSize - statSize else {
            throw DetectorParameterError(parameter: "stat_size", message: "must be at most half of window_size (\(windowSize))")
        }
        self.alpha = alpha
        self.windowSize = windowSize
        self.statSize = statSize
        self.seed = seed
        self.generator = MersenneTwister(seed: seed)
    }

    package var windowCount: Int { self.window.count }

    package mutating func update(_ x: Double) {
        if self.driftDetected {
            self.window = []
            self.head = 0
            self.count = 0
            self.pValue = 0
            self.generator = MersenneTwister(seed: self.seed)
            self.driftDetected = false
        }
        self.count += 1
        if self.window.count < self.windowSize {
            self.window.append(x)
        } else {
            self.window[self.head] = x
            self.head = (self.head + 1) % self.windowSize
        }
        guard self.window.count >= self.windowSize else { return }
        let drawn = self.generator.sample(rangeCount: self.windowSize - self.statSize, k: self.statSize)
            .map { self.window[(self.head + $0) % self.windowSize] }
        let recent = ((self.windowSize - self.statSize)..<self.windowSize).map { self.window[(self.head + $0) % self.windowSize] }
        let (statistic, p) = KolmogorovSmirnovExact.equalSizeTwoSided(drawn, recent)
        self.pValue = p
        self.driftDetected = p <= self.alpha && statistic > 0.1
    }
}

/// scipy's `ks_2samp` for two samples of the same size, two-sided, `method='auto'` (exact for these sizes).
enum KolmogorovSmirnovExact {
    static func equalSizeTwoSided(_ first: [Double], _ second: [Double]) -> (statistic: Double, pValue: Double) {
        let n = first.count
        let a = first.sorted()
        let b = second.sorted()
        // Walk both sorted samples; at each distinct value compare the ECDFs ("right" side, as searchsorted).
        var i = 0, j = 0, largest = 0
        while i < n || j < n {
            let value = min(i < n ? a[i] : .infinity, j < n ? b[j] : .infinity)
            while i < n, a[i] == value { i += 1 }
            while j < n, b[j] == value { j += 1 }
            largest = max(largest, abs(i - j))
        }
        // scipy rounds D onto the lattice h/n and evaluates the exact distribution there.
        let h = largest
        let statistic = Double(h) / Double(n)
        guard h > 0 else { return (statistic, 1.0) }
        var probability = Self.probabilityOutsideSquare(n: n, h: h)
        if !(0...1).contains(probability) { probability = min(max(probability, 0), 1) }
        return (statistic, probability)
    }

    /// scipy's `_compute_prob_outside_square`: the share of lattice paths leaving the band |i - j| < h.
    static func probabilityOutsideSquare(n: Int, h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h {
                p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1)
            }
            p = p1 * (1.0 - p)
            k -= 1
        }
        return 2 * p
    }
}
