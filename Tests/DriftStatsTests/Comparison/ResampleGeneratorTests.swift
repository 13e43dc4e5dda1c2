import Testing

@testable import DriftStats

/// Section 5's generator and index-drawing checks.
@Suite("SplitMix64 and resample indices")
struct ResampleGeneratorTests {
    @Test("Seed 0 produces the note's test vector")
    func seedZeroTestVector() {
        var generator = SplitMix64(seed: 0)
        #expect((0..<3).map { _ in generator.next() } == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test("Seed 20240607 produces the note's test vector")
    func fixtureSeedTestVector() {
        var generator = SplitMix64(seed: PairedBootstrap.referenceSeed)
        #expect(
            (0..<4).map { _ in generator.next() } == [
                0x6486_8282_36CD_C99B, 0x0920_E175_EB2C_B418, 0xFE31_5249_8C0B_74D7, 0x2BB8_005E_6E86_CFCE,
            ])
    }

    @Test("First indices of replicate 0 for n = 2000 and n = 50")
    func firstIndicesOfReplicateZero() {
        let bootstrap = PairedBootstrap()
        #expect(bootstrap.leadingIndicesOfFirstReplicate(rowCount: 2000, count: 5) == [785, 71, 1985, 341, 602])
        #expect(bootstrap.leadingIndicesOfFirstReplicate(rowCount: 50) == [19, 1, 49, 8, 15, 33, 42, 13, 1, 37])
    }

    @Test("The largest generator output still maps below n")
    func largestOutputMapsBelowCount() {
        for count in [1, 2, 3, 50, 1000, 2000, 1 << 20, 1 << 40, (1 << 53) - 1] {
            #expect(SplitMix64.resampleIndex(fromOutput: .max, below: count) == count - 1)
            #expect(SplitMix64.resampleIndex(fromOutput: 0, below: count) == 0)
        }
    }

    @Test("Replicate b takes outputs b·n ..< (b+1)·n of one generator seeded once")
    func replicatesConsumeOneContinuousStream() {
        let rowCount = 7
        let bootstrap = PairedBootstrap(replicateCount: 3)
        var replicates: [[Int]] = []
        bootstrap.forEachResample(rowCount: rowCount) { replicates.append($0) }
        var generator = SplitMix64(seed: PairedBootstrap.referenceSeed)
        let stream = (0..<(3 * rowCount)).map { _ in generator.nextResampleIndex(below: rowCount) }
        #expect(replicates.flatMap { $0 } == stream)
    }

    @Test("The same seed gives the same replicates; another seed does not")
    func replicatesAreReproducibleFromTheSeed() throws {
        let data = try Fixture.binaryData("bin_small_n50")
        let first = BootstrapSummary(binary: data)
        let second = BootstrapSummary(binary: data)
        let otherSeed = BootstrapSummary(binary: data, bootstrap: PairedBootstrap(seed: 1))
        #expect(first == second)
        #expect(first.accuracyDiff?.replicates != otherSeed.accuracyDiff?.replicates)
    }
}
