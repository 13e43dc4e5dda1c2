/// Ascending sort of doubles by their bit patterns: an LSD radix sort with 11-bit digits.
///
/// Sorting is the largest cost of the distribution tests on big columns (the standard library's stable merge
/// sort took a third of a 200,000-row drift run); a radix sort does six linear passes instead of n·log n
/// comparisons through a closure. NaN is never passed here (samples drop it first); -0.0 sorts before 0.0, which
/// no caller can tell apart from the comparison order because the two compare equal.
enum FloatRadixSort {
    private static let digitBits = 11
    private static let bucketCount = 1 << digitBits
    private static let passCount = (64 + digitBits - 1) / digitBits
    /// Below this size the comparison sort wins: the histograms cost more than the sort.
    private static let smallInput = 512

    static func sorted(_ values: [Double]) -> [Double] {
        guard values.count > Self.smallInput else { return values.sorted() }
        var keys = values.map { Self.key($0) }
        var scratch = [UInt64](repeating: 0, count: keys.count)
        var histograms = [Int](repeating: 0, count: Self.bucketCount * Self.passCount)
        let count = keys.count
        keys.withUnsafeBufferPointer { source in
            histograms.withUnsafeMutableBufferPointer { counts in
                for key in source {
                    for pass in 0..<Self.passCount {
                        counts[pass &* Self.bucketCount &+ Int(truncatingIfNeeded: (key >> UInt64(pass &* Self.digitBits)) & UInt64(Self.bucketCount - 1))] &+= 1
                    }
                }
            }
        }
        var inKeys = true
        for pass in 0..<Self.passCount {
            let base = pass * Self.bucketCount
            // A digit every key shares moves nothing; skipping it is common for the exponent's high bits.
            if histograms[base..<base + Self.bucketCount].contains(count) { continue }
            var offset = 0
            for bucket in 0..<Self.bucketCount {
                let size = histograms[base + bucket]
                histograms[base + bucket] = offset
                offset += size
            }
            let shift = UInt64(pass * Self.digitBits)
            histograms.withUnsafeMutableBufferPointer { counts in
                keys.withUnsafeMutableBufferPointer { keyBuffer in
                    scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                        let (from, to) = inKeys ? (keyBuffer, scratchBuffer) : (scratchBuffer, keyBuffer)
                        for key in from {
                            let slot = base &+ Int(truncatingIfNeeded: (key >> shift) & UInt64(Self.bucketCount - 1))
                            to[counts[slot]] = key
                            counts[slot] &+= 1
                        }
                    }
                }
            }
            inKeys.toggle()
        }
        return (inKeys ? keys : scratch).map { Self.value($0) }
    }

    /// Maps a double to an unsigned key with the same order: negatives have all bits flipped, positives the sign set.
    @inline(__always)
    private static func key(_ value: Double) -> UInt64 {
        let bits = value.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    @inline(__always)
    private static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }
}
