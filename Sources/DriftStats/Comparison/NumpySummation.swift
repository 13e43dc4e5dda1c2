/// numpy's pairwise summation (`np.sum` / `np.mean` on a contiguous float64 array), reproduced so that means the
/// reference computed with numpy (bootstrap replicate means, the paired t-test's mean) can match to the last bit
/// instead of merely to a tolerance.
enum NumpySummation {
    private static let blockSize = 128
    private static let unroll = 8

    static func sum(_ values: ArraySlice<Double>) -> Double {
        let count = values.count
        let start = values.startIndex
        if count < unroll {
            var total = 0.0
            for value in values { total += value }
            return total
        }
        if count <= blockSize {
            var partial = [Double](values[start..<(start + unroll)])
            var position = start + unroll
            let unrolledEnd = start + count - count % unroll
            while position < unrolledEnd {
                for lane in 0..<unroll { partial[lane] += values[position + lane] }
                position += unroll
            }
            var total =
                ((partial[0] + partial[1]) + (partial[2] + partial[3]))
                + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
            while position < start + count {
                total += values[position]
                position += 1
            }
            return total
        }
        var half = count / 2
        half -= half % unroll
        return sum(values[start..<(start + half)]) + sum(values[(start + half)...])
    }

    static func sum(_ values: [Double]) -> Double { sum(values[...]) }

    static func mean(_ values: [Double]) -> Double { sum(values) / Double(values.count) }
}
