import Testing

@testable import DriftStats

/// The radix sort must order exactly as the comparison sort does, on every kind of double a column can hold.
struct FloatRadixSortTests {
    enum Shape: String, CaseIterable {
        /// Zeros of both signs, infinities, extremes and ordinary values.
        case special
        case spread
        /// Few distinct integers: most digits are shared, so their passes are skipped.
        case fewIntegers
        case outlier
        /// Subnormal magnitudes of both signs.
        case subnormalRange
        /// Timestamps within seconds: every value shares its top 32 bits, so only the six passes sort them.
        case narrowBand
        /// Timestamps over a day at millisecond precision: long runs share their top bits, beyond the insertion budget.
        case clusteredBand
    }

    static func values(_ shape: Shape, count: Int, seed: UInt64) -> [Double] {
        var generator = StatTestPropertyTests.Generator(state: seed)
        let special: [Double] = [
            0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1,
            -1,
        ]
        return (0..<count).map { index in
            let uniform = generator.next()
            switch shape {
            case .special:
                switch index % 5 {
                case 0: return special[Int(uniform * Double(special.count))]
                case 1: return (uniform * 100 - 50).rounded()
                case 2: return (uniform * 2 - 1) * 1e-300
                default: return (uniform * 2 - 1) * 1e6
                }
            case .spread: return (uniform + generator.next() + generator.next() - 1.5) * 1e3
            case .fewIntegers: return (uniform * 30).rounded(.down)
            case .outlier: return index == count / 2 ? 1e300 : uniform
            case .subnormalRange: return (uniform * 2 - 1) * Double.leastNormalMagnitude / 64
            case .narrowBand: return 1.7e9 + (uniform * 5000).rounded() / 1000
            case .clusteredBand: return 1.7e9 + (uniform * 86_400_000).rounded() / 1000
            }
        }
    }

    @Test(arguments: Shape.allCases, [0, 1, 511, 512, 513, 4096, 100_003])
    func ordersLikeTheComparisonSort(shape: Shape, count: Int) {
        let values = Self.values(shape, count: count, seed: UInt64(count) &+ 7)
        let reference = values.sorted()
        // -0.0 and 0.0 compare equal but may come in either order; compare by value, not bits.
        var results = [FloatRadixSort.sorted(values)]
        if count > 512 {
            // Both strategies, whichever `sorted` picked.
            results.append(FloatRadixSort.sortedByAllDigits(values, appending: nil))
            if let byTopBits = FloatRadixSort.sortedByTopBits(values, appending: nil) { results.append(byTopBits) }
        }
        for sorted in results {
            #expect(sorted.count == reference.count)
            #expect(zip(sorted, reference).allSatisfy { $0 == $1 })
        }
    }

    @Test
    func sortsByTopBitsUnlessTheyAreShared() {
        #expect(FloatRadixSort.sortedByTopBits(Self.values(.spread, count: 10_000, seed: 1), appending: nil) != nil)
        #expect(FloatRadixSort.sortedByTopBits(Self.values(.fewIntegers, count: 10_000, seed: 1), appending: nil) != nil)
        #expect(FloatRadixSort.sortedByTopBits(Self.values(.narrowBand, count: 10_000, seed: 1), appending: nil) == nil)
        #expect(FloatRadixSort.sortedByTopBits(Self.values(.clusteredBand, count: 100_003, seed: 1), appending: nil) == nil)
    }

    @Test
    func appendsTheSentinel() {
        let values = Self.values(.spread, count: 5000, seed: 3)
        #expect(FloatRadixSort.sorted(values, appending: .infinity) == values.sorted() + [.infinity])
        #expect(FloatRadixSort.sorted([2, 1], appending: .infinity) == [1, 2, .infinity])
    }

    @Test
    func sortsAColumnOfOneRepeatedValue() {
        let column = [Double](repeating: 3.25, count: 2000)
        #expect(FloatRadixSort.sorted(column) == column)
    }
}
