import Testing

@testable import DriftStats

/// Properties every stat test must keep, over seeded random samples of many shapes.
@Suite struct StatTestPropertyTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }

        mutating func sample(count: Int, shift: Double, discrete: Bool) -> [Double] {
            (0..<count).map { _ in
                let value = (self.next() + self.next() + self.next()) * 3 + shift
                return discrete ? value.rounded() : value
            }
        }
    }

    static let numericMethods: [StatTestMethod] = [
        .ks, .wasserstein, .jensenshannon, .psi, .klDivergence, .hellinger, .energyDistance, .tTest, .mannWhitney,
    ]
    static let pValueMethods: Set<StatTestMethod> = [.ks, .chisquare, .z, .tTest, .mannWhitney]
    static let seeds: [UInt64] = Array(1...25)

    @Test(arguments: Self.seeds)
    func identicalSamplesNeverDrift(_ seed: UInt64) throws {
        var generator = Generator(state: seed)
        let values = generator.sample(count: 30 + Int(seed) * 37, shift: 0, discrete: seed % 3 == 0)
        let sample = DriftSample(numbers: values)
        for method in Self.numericMethods {
            let score = try method.score(reference: sample, current: sample, type: .numerical)
            #expect(!method.isDrift(score: score, threshold: method.defaultThreshold), "\(method) drifted on identical samples: \(score)")
        }
        let texts = DriftSample(texts: values.map { "c\(Int($0) % 6)" })
        for method in [StatTestMethod.chisquare, .z, .jensenshannon, .psi, .hellinger] {
            let score = try method.score(reference: texts, current: texts, type: .categorical)
            #expect(!method.isDrift(score: score, threshold: method.defaultThreshold), "\(method) drifted on identical categories: \(score)")
        }
    }

    @Test(arguments: Self.seeds)
    func pValuesAreProbabilitiesAndDistancesAreSymmetric(_ seed: UInt64) throws {
        var generator = Generator(state: seed)
        let discrete = seed % 2 == 0
        let a = DriftSample(numbers: generator.sample(count: 20 + Int(seed) * 13, shift: 0, discrete: discrete))
        let b = DriftSample(numbers: generator.sample(count: 15 + Int(seed) * 29, shift: Double(seed % 5) * 0.3, discrete: discrete))
        for method in Self.numericMethods {
            let forward = try method.score(reference: a, current: b, type: .numerical)
            if Self.pValueMethods.contains(method) {
                #expect((0...1).contains(forward), "\(method) p-value \(forward)")
            } else {
                #expect(forward >= 0, "\(method) distance \(forward)")
            }
        }
        // Distances that do not depend on which side is the reference.
        for method in [StatTestMethod.ks, .energyDistance, .tTest] {
            let forward = try method.score(reference: a, current: b, type: .numerical)
            let backward = try method.score(reference: b, current: a, type: .numerical)
            #expect(abs(forward - backward) <= 1e-12 * max(1, abs(forward)), "\(method) not symmetric")
        }
        #expect(abs(KolmogorovSmirnovTest.statistic(a.numbers!, b.numbers!) - KolmogorovSmirnovTest.statistic(b.numbers!, a.numbers!)) < 1e-15)
        #expect(
            abs(WassersteinDistance.cdfDistance(a.numbers!, b.numbers!, power: 1) - WassersteinDistance.cdfDistance(b.numbers!, a.numbers!, power: 1))
                < 1e-9)
    }

    @Test(arguments: Self.seeds)
    func kolmogorovSmirnovIgnoresMonotoneTransforms(_ seed: UInt64) throws {
        var generator = Generator(state: seed)
        let a = generator.sample(count: 40 + Int(seed) * 7, shift: 0, discrete: false)
        let b = generator.sample(count: 30 + Int(seed) * 11, shift: 0.5, discrete: false)
        let original = try KolmogorovSmirnovTest.pValue(a, b)
        for transform in [{ (x: Double) in x * x * x }, { (x: Double) in 2 * x + 7 }, { (x: Double) in (x + 1).squareRoot() }] {
            #expect(try KolmogorovSmirnovTest.pValue(a.map(transform), b.map(transform)) == original)
        }
    }
}
