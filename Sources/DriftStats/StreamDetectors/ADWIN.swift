import Foundation

/// ADaptive WINdowing (Bifet & Gavaldà 2007) as River 0.26 runs it (after MOA): an exponential histogram of
/// bucket summaries, cut points tested every `clock` updates once the window exceeds `gracePeriod`. Where River
/// differs from the paper (δ' = δ/ln W, the `min_window_length` correction, strict `>`, and the whole window
/// dropped on the update after a drift), we follow River.
package struct ADWIN: StreamDriftDetector {

    package var delta: Double
    package var clock: Int
    package var maxBuckets: Int
    package var minWindowLength: Int
    package var gracePeriod: Int
    /// The exponential histogram, flat: row i holds `rowCounts[i]` bucket summaries of 2^i items each, oldest
    /// first, at `i * (maxBuckets + 1)` in `totals` (sums) and `variances` (sums of squared deviations). Flat
    /// arrays keep the hot path free of nested copy-on-write checks.
    private var totals: [Double] = []
    private var variances: [Double] = []
    private var rowCounts: [Int] = []
    package private(set) var width = 0.0
    package private(set) var total = 0.0
    /// Sum of squared deviations from the window mean (not divided by the width).
    package private(set) var variance = 0.0
    /// Updates left until the next check: counts down from `clock` (River checks when its tick count is a multiple of it).
    private var untilCheck: Int?
    package private(set) var driftDetected = false
    package var warningDetected: Bool { false }

    package init(delta: Double = 0.002, clock: Int = 32, maxBuckets: Int = 5, minWindowLength: Int = 5, gracePeriod: Int = 10)
        throws(DetectorParameterError)
    {
        guard delta > 0, delta < 1 else { throw DetectorParameterError(parameter: "delta", message: "must be in (0, 1)") }
        guard clock > 0 else { throw DetectorParameterError(parameter: "clock", message: "must be a positive integer") }
        guard maxBuckets > 0 else { throw DetectorParameterError(parameter: "max_buckets", message: "must be a positive integer") }
        self.delta = delta
        self.clock = clock
        self.maxBuckets = maxBuckets
        self.minWindowLength = minWindowLength
        self.gracePeriod = gracePeriod
    }

    /// The window mean.
    package var estimation: Double { self.width > 0 ? self.total / self.width : 0 }

    package mutating func update(_ x: Double) {
        if self.driftDetected {
            self.totals.removeAll(keepingCapacity: true)
            self.variances.removeAll(keepingCapacity: true)
            self.rowCounts.removeAll(keepingCapacity: true)
            self.width = 0
            self.total = 0
            self.variance = 0
            self.untilCheck = nil
            self.driftDetected = false
        }
        self.insert(x)
        self.driftDetected = self.detectChange()
    }

    private var rowStride: Int { self.maxBuckets + 1 }

    private mutating func addRow() {
        self.rowCounts.append(0)
        self.totals.append(contentsOf: repeatElement(0, count: self.rowStride))
        self.variances.append(contentsOf: repeatElement(0, count: self.rowStride))
    }

    private mutating func insert(_ x: Double) {
        if self.rowCounts.isEmpty { self.addRow() }
        let slot = self.rowCounts[0]
        self.totals.withUnsafeMutableBufferPointer { $0[slot] = x }
        self.variances.withUnsafeMutableBufferPointer { $0[slot] = 0 }
        self.rowCounts[0] = slot + 1
        self.width += 1
        var incrementalVariance = 0.0
        if self.width > 1 {
            let deviation = x - self.total / (self.width - 1)
            incrementalVariance = (self.width - 1) * deviation * deviation / self.width
        }
        self.variance += incrementalVariance
        self.total += x
        self.compress()
    }

    private mutating func compress() {
        let stride = self.rowStride
        guard self.rowCounts[0] == stride else { return }
        var row = 0
        while row < self.rowCounts.count, self.rowCounts[row] == stride {
            if row + 1 == self.rowCounts.count { self.addRow() }
            let base = row * stride
            let next = (row + 1) * stride + self.rowCounts[row + 1]
            let n = Double(1 << row)
            self.totals.withUnsafeMutableBufferPointer { totals in
                self.variances.withUnsafeMutableBufferPointer { variances in
                    let mean1 = totals[base] / n
                    let mean2 = totals[base + 1] / n
                    let mergedTotal = totals[base] + totals[base + 1]
                    let mergedVariance = variances[base] + variances[base + 1] + n * n * (mean1 - mean2) * (mean1 - mean2) / (n + n)
                    for index in 0..<(stride - 2) {
                        totals[base + index] = totals[base + index + 2]
                        variances[base + index] = variances[base + index + 2]
                    }
                    totals[next] = mergedTotal
                    variances[next] = mergedVariance
                }
            }
            self.rowCounts[row] -= 2
            self.rowCounts[row + 1] += 1
            row += 1
        }
    }

    private mutating func detectChange() -> Bool {
        let remaining = (self.untilCheck ?? self.clock) - 1
        guard remaining == 0 else {
            self.untilCheck = remaining
            return false
        }
        self.untilCheck = self.clock
        guard self.width > Double(self.gracePeriod) else { return false }
        var detected = false
        var rescan = true
        let stride = self.rowStride
        while rescan {
            rescan = false
            // Constant over one scan: the window only changes when a cut fires, and then the scan restarts.
            let deltaPrime = Foundation.log(2 * Foundation.log(self.width) / self.delta)
            let windowVariance = self.variance / self.width
            var n0 = 0.0, u0 = 0.0
            scan: for row in Swift.stride(from: self.rowCounts.count - 1, through: 0, by: -1) {
                let size = Double(1 << row)
                let count = self.rowCounts[row]
                for index in 0..<count {
                    n0 += size
                    u0 += self.totals[row * stride + index]
                    // The newest summary always stays in W1.
                    if row == 0 && index == count - 1 { break scan }
                    let n1 = self.width - n0
                    let u1 = self.total - u0
                    if n1 >= Double(self.minWindowLength), n0 >= Double(self.minWindowLength),
                        self.cutFires(n0: n0, n1: n1, meanDifference: u0 / n0 - u1 / n1, deltaPrime: deltaPrime, windowVariance: windowVariance)
                    {
                        detected = true
                        rescan = true
                        if self.width > 0 { self.deleteOldest() }
                        break scan
                    }
                }
            }
        }
        return detected
    }

    private func cutFires(n0: Double, n1: Double, meanDifference: Double, deltaPrime: Double, windowVariance: Double) -> Bool {
        let mwl = Double(self.minWindowLength)
        let mReciprocal = 1.0 / (n0 - mwl + 1) + 1.0 / (n1 - mwl + 1)
        let epsilon = (2 * mReciprocal * windowVariance * deltaPrime).squareRoot() + 2.0 / 3.0 * deltaPrime * mReciprocal
        return abs(meanDifference) > epsilon
    }

    private mutating func deleteOldest() {
        let row = self.rowCounts.count - 1
        let base = row * self.rowStride
        let n = Double(1 << row)
        let oldestTotal = self.totals[base]
        let oldestVariance = self.variances[base]
        let mean = oldestTotal / n
        self.width -= n
        self.total -= oldestTotal
        let windowMean = self.total / self.width
        self.variance -= oldestVariance + n * self.width * (mean - windowMean) * (mean - windowMean) / (n + self.width)
        for index in 0..<(self.rowCounts[row] - 1) {
            self.totals[base + index] = self.totals[base + index + 1]
            self.variances[base + index] = self.variances[base + index + 1]
        }
        self.rowCounts[row] -= 1
        if self.rowCounts[row] == 0 {
            self.rowCounts.removeLast()
            self.totals.removeLast(self.rowStride)
            self.variances.removeLast(self.rowStride)
        }
    }
}
