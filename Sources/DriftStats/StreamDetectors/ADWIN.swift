import Foundation

/// ADaptive WINdowing (Bifet & Gavaldà 2007) as River 0.26 runs it (after MOA): an exponential histogram of
/// bucket summaries, cut points tested every `clock` updates once the window exceeds `gracePeriod`. Where River
/// differs from the paper (δ' = δ/ln W, the `min_window_length` correction, strict `>`, and the whole window
/// dropped on the update after a drift), we follow River.
public struct ADWIN: StreamDriftDetector {
    /// A bucket summary: the sum of its 2^row items and their sum of squared deviations.
    struct Summary: Sendable, Codable, Equatable {
        var total: Double
        var variance: Double
    }

    public var delta: Double
    public var clock: Int
    public var maxBuckets: Int
    public var minWindowLength: Int
    public var gracePeriod: Int
    /// rows[i] holds summaries of 2^i items each, oldest first.
    private var rows: [[Summary]] = []
    public private(set) var width = 0.0
    public private(set) var total = 0.0
    /// Sum of squared deviations from the window mean (not divided by the width).
    public private(set) var variance = 0.0
    private var tick = 0
    public private(set) var driftDetected = false
    public var warningDetected: Bool { false }

    public init(delta: Double = 0.002, clock: Int = 32, maxBuckets: Int = 5, minWindowLength: Int = 5, gracePeriod: Int = 10) throws(DetectorParameterError) {
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
    public var estimation: Double { self.width > 0 ? self.total / self.width : 0 }

    public mutating func update(_ x: Double) {
        if self.driftDetected {
            self.rows = []
            self.width = 0
            self.total = 0
            self.variance = 0
            self.tick = 0
            self.driftDetected = false
        }
        self.insert(x)
        self.driftDetected = self.detectChange()
    }

    private mutating func insert(_ x: Double) {
        if self.rows.isEmpty { self.rows.append([]) }
        self.rows[0].append(Summary(total: x, variance: 0))
        self.width += 1
        var incrementalVariance = 0.0
        if self.width > 1 {
            incrementalVariance = (self.width - 1) * (x - self.total / (self.width - 1)) * (x - self.total / (self.width - 1)) / self.width
        }
        self.variance += incrementalVariance
        self.total += x
        self.compress()
    }

    private mutating func compress() {
        var row = 0
        while row < self.rows.count, self.rows[row].count == self.maxBuckets + 1 {
            let n = Double(1 << row)
            let first = self.rows[row][0]
            let second = self.rows[row][1]
            let mean1 = first.total / n
            let mean2 = second.total / n
            let merged = Summary(
                total: first.total + second.total,
                variance: first.variance + second.variance + n * n * (mean1 - mean2) * (mean1 - mean2) / (n + n))
            self.rows[row].removeFirst(2)
            if row + 1 == self.rows.count { self.rows.append([]) }
            self.rows[row + 1].append(merged)
            row += 1
        }
    }

    private mutating func detectChange() -> Bool {
        self.tick += 1
        guard self.tick % self.clock == 0, self.width > Double(self.gracePeriod) else { return false }
        var detected = false
        var rescan = true
        while rescan {
            rescan = false
            // Constant over one scan: the window only changes when a cut fires, and then the scan restarts.
            let deltaPrime = Foundation.log(2 * Foundation.log(self.width) / self.delta)
            let windowVariance = self.variance / self.width
            var n0 = 0.0, u0 = 0.0
            scan: for row in stride(from: self.rows.count - 1, through: 0, by: -1) {
                let size = Double(1 << row)
                let summaries = self.rows[row]
                for index in summaries.indices {
                    n0 += size
                    u0 += summaries[index].total
                    // The newest summary always stays in W1.
                    if row == 0 && index == summaries.count - 1 { break scan }
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
        let row = self.rows.count - 1
        let n = Double(1 << row)
        let oldest = self.rows[row][0]
        let mean = oldest.total / n
        self.width -= n
        self.total -= oldest.total
        let windowMean = self.total / self.width
        self.variance -= oldest.variance + n * self.width * (mean - windowMean) * (mean - windowMean) / (n + self.width)
        self.rows[row].removeFirst()
        if self.rows[row].isEmpty { self.rows.removeLast() }
    }
}
