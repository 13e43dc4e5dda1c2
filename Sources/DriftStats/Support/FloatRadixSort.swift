/// Ascending sort of doubles by their bit patterns: an LSD radix sort with 11-bit digits.
///
/// Sorting is the largest cost of the distribution tests on big columns (the standard library's stable merge
/// sort took a third of a 200,000-row drift run); a radix sort does a few linear passes instead of n·log n
/// comparisons through a closure. NaN is never passed here (samples drop it first); -0.0 sorts before 0.0, which
/// no caller can tell apart from the comparison order because the two compare equal.
///
/// Real columns rarely hold two different values that agree in their top 32 bits (sign, exponent and 20 bits of
/// mantissa: a relative difference under 1e-6), so the sort first orders by those bits alone (three passes, not
/// six) and then insertion-sorts the few runs that share them; it takes the six passes when the top bits say
/// little (values in a narrow band, such as timestamps), which the insertion sort's move budget detects.
/// On the drift benchmark's columns, half the time of the six passes.
enum FloatRadixSort {
    private static let digitBits = 11
    private static let bucketCount = 1 << digitBits
    private static let digitMask = UInt64(bucketCount - 1)
    private static let passCount = (64 + digitBits - 1) / digitBits
    /// Below this size the comparison sort wins: the histograms cost more than the sort.
    private static let smallInput = 512

    /// The values in ascending order, followed by `sentinel` when one is given (a merge walk's end marker, which
    /// would otherwise cost a copy of the sorted array).
    static func sorted(_ values: [Double], appending sentinel: Double? = nil) -> [Double] {
        guard values.count > Self.smallInput else { return values.sorted() + (sentinel.map { [$0] } ?? []) }
        return Self.sortedByTopBits(values, appending: sentinel) ?? Self.sortedByAllDigits(values, appending: sentinel)
    }

    /// The passes over the key's top 32 bits (11, 11 and 10 bits wide) start at bit 32.
    private static let topBitsShift = 32
    private static let topBitsPassCount = 3
    /// How many moves the insertion sort may make per value before the six passes are cheaper.
    private static let movesPerValue = 4

    /// Sorted by the keys' top 32 bits, then by insertion within runs that share them; nil when all values share
    /// them or the runs need more moves than the budget.
    static func sortedByTopBits(_ values: [Double], appending sentinel: Double?) -> [Double]? {
        let count = values.count
        var keys: [UInt64] = [], histograms: [UInt32] = []
        let passes = Self.countDigits(values, firstShift: Self.topBitsShift, passCount: Self.topBitsPassCount, keys: &keys, counts: &histograms)
        guard !passes.isEmpty else { return nil }
        var scratch = [UInt64](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let outputCount = count + (sentinel == nil ? 0 : 1)
        var withinBudget = true
        let output = [Double](unsafeUninitializedCapacity: outputCount) { output, initialized in
            histograms.withUnsafeMutableBufferPointer { counts in
                keys.withUnsafeMutableBufferPointer { keyBuffer in
                    scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                        var inKeys = true
                        for pass in passes {
                            let base = pass * Self.bucketCount
                            Self.turnCountsIntoOffsets(counts, base: base)
                            let shift = UInt64(Self.topBitsShift &+ pass &* Self.digitBits)
                            Self.scatter(
                                inKeys ? keyBuffer : scratchBuffer, to: inKeys ? scratchBuffer : keyBuffer, counts: counts, base: base, shift: shift)
                            inKeys.toggle()
                        }
                        let sortedKeys = inKeys ? keyBuffer : scratchBuffer
                        // Keys that share their top bits are still in input order. A key below the largest so far
                        // shares its top bits (the keys are ordered by them), so it moves back only past those.
                        var budget = count &* Self.movesPerValue
                        var largest = sortedKeys[0]
                        output[0] = Self.value(largest)
                        for index in 1..<count {
                            let key = sortedKeys[index]
                            guard key < largest else {
                                output[index] = Self.value(key)
                                largest = key
                                continue
                            }
                            var slot = index
                            while slot > 0, Self.key(output[slot &- 1]) > key {
                                output[slot] = output[slot &- 1]
                                slot &-= 1
                                budget &-= 1
                            }
                            output[slot] = Self.value(key)
                            if budget < 0 {
                                withinBudget = false
                                break
                            }
                        }
                    }
                }
            }
            if let sentinel { output[count] = sentinel }
            initialized = outputCount
        }
        return withinBudget ? output : nil
    }

    /// The six passes over every digit.
    static func sortedByAllDigits(_ values: [Double], appending sentinel: Double?) -> [Double] {
        let count = values.count
        var keys: [UInt64] = [], histograms: [UInt32] = []
        let passes = Self.countDigits(values, firstShift: 0, passCount: Self.passCount, keys: &keys, counts: &histograms)
        var scratch = [UInt64](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let outputCount = count + (sentinel == nil ? 0 : 1)
        return [Double](unsafeUninitializedCapacity: outputCount) { output, initialized in
            histograms.withUnsafeMutableBufferPointer { counts in
                keys.withUnsafeMutableBufferPointer { keyBuffer in
                    scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                        var inKeys = true
                        for (step, pass) in passes.enumerated() {
                            let base = pass * Self.bucketCount
                            Self.turnCountsIntoOffsets(counts, base: base)
                            let shift = UInt64(pass * Self.digitBits)
                            let from = inKeys ? keyBuffer : scratchBuffer
                            if step == passes.count - 1 {
                                // The last pass writes the doubles themselves.
                                for key in from {
                                    let slot = base &+ Int(truncatingIfNeeded: (key &>> shift) & Self.digitMask)
                                    output[Int(truncatingIfNeeded: counts[slot])] = Self.value(key)
                                    counts[slot] &+= 1
                                }
                            } else {
                                Self.scatter(from, to: inKeys ? scratchBuffer : keyBuffer, counts: counts, base: base, shift: shift)
                                inKeys.toggle()
                            }
                        }
                        if passes.isEmpty {
                            for index in 0..<count { output[index] = Self.value(keyBuffer[index]) }
                        }
                    }
                }
            }
            if let sentinel { output[count] = sentinel }
            initialized = outputCount
        }
    }

    /// Sets `keys` to the values' keys and, in the same pass, `counts` to the histograms of `passCount` digits from
    /// bit `firstShift` on (32-bit counts: all six histograms, 48 KB, stay in the first-level cache). Returns the
    /// passes whose digit differs between keys, the only ones that move anything (a shared digit is common for the
    /// exponent's high bits).
    @inline(__always)
    private static func countDigits(_ values: [Double], firstShift: Int, passCount: Int, keys: inout [UInt64], counts: inout [UInt32]) -> [Int] {
        let count = values.count
        precondition(count < Int(UInt32.max))
        keys = [UInt64](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        counts = [UInt32](repeating: 0, count: Self.bucketCount * passCount)
        values.withUnsafeBufferPointer { source in
            keys.withUnsafeMutableBufferPointer { keys in
                counts.withUnsafeMutableBufferPointer { counts in
                    for index in 0..<count {
                        let key = Self.key(source[index])
                        keys[index] = key
                        for pass in 0..<passCount {
                            let digit = Int(truncatingIfNeeded: (key &>> UInt64(firstShift &+ pass &* Self.digitBits)) & Self.digitMask)
                            counts[pass &* Self.bucketCount &+ digit] &+= 1
                        }
                    }
                }
            }
        }
        let passes = (0..<passCount).filter { pass in
            let base = pass * Self.bucketCount
            return !counts[base..<base + Self.bucketCount].contains(UInt32(count))
        }
        return passes
    }

    /// Each bucket's count of one pass becomes the offset where its keys start.
    @inline(__always)
    private static func turnCountsIntoOffsets(_ counts: UnsafeMutableBufferPointer<UInt32>, base: Int) {
        var offset: UInt32 = 0
        for bucket in base..<base + Self.bucketCount {
            let size = counts[bucket]
            counts[bucket] = offset
            offset &+= size
        }
    }

    /// One counting-sort pass: each key of `from` to the next slot of its digit's bucket in `to`.
    @inline(__always)
    private static func scatter(
        _ from: UnsafeMutableBufferPointer<UInt64>, to: UnsafeMutableBufferPointer<UInt64>, counts: UnsafeMutableBufferPointer<UInt32>, base: Int,
        shift: UInt64
    ) {
        for key in from {
            let slot = base &+ Int(truncatingIfNeeded: (key &>> shift) & Self.digitMask)
            to[Int(truncatingIfNeeded: counts[slot])] = key
            counts[slot] &+= 1
        }
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
