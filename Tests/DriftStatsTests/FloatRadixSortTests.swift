import Testing

@testable import DriftStats

/// The radix sort must order exactly as the comparison sort does, on every kind of double a column can hold.
struct FloatRadixSortTests {
    @Test(arguments: [0, 1, 511, 512, 513, 4096, 100_003])
    func ordersLikeTheComparisonSort(count: Int) {
        var generator = SystemRandomNumberGenerator()
        let special: [Double] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1, -1]
        let values: [Double] = (0..<count).map { index in
            switch index % 5 {
            case 0: special[Int.random(in: 0..<special.count, using: &generator)]
            case 1: Double(Int.random(in: -50...50, using: &generator))
            case 2: Double.random(in: -1e-300...1e-300, using: &generator)
            default: Double.random(in: -1e6...1e6, using: &generator)
            }
        }
        let radix = FloatRadixSort.sorted(values)
        let reference = values.sorted()
        #expect(radix.count == reference.count)
        // -0.0 and 0.0 compare equal but may come in either order; compare by value, not bits.
        #expect(zip(radix, reference).allSatisfy { $0 == $1 })
    }

    @Test
    func sortsAColumnOfOneRepeatedValue() {
        #expect(FloatRadixSort.sorted([Double](repeating: 3.25, count: 2000)) == [Double](repeating: 3.25, count: 2000))
    }
}
