import Foundation
import TestSupport
import Testing

@testable import ParquetFormat

/// Seeded byte-level mutations of the fixtures. Every mutated file must either read or throw a
/// ParquetError: a trap, an out-of-bounds access or a hang fails the run. Set
/// PARQUET_FUZZ_VERBOSE=1 to print each case before it runs (to find the one that crashes), and
/// PARQUET_FUZZ_SEED / PARQUET_FUZZ_ITERATIONS for longer runs with other seeds.
@Suite("Fuzzing mutated fixtures")
struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["PARQUET_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_0F_D21F7100
    static let iterations = environment["PARQUET_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 2_400

    /// A fixture with the regions worth aiming at.
    struct Base {
        let name: String
        let bytes: [UInt8]
        let footer: Range<Int>
        /// Page header byte ranges, found by walking every column chunk of the intact file.
        let pageHeaders: [Range<Int>]
        /// Page body byte ranges.
        let pageBodies: [Range<Int>]
    }

    static func loadBase(_ name: String) throws -> Base {
        let bytes = try FixtureFiles.bytes(name + ".parquet")
        let file = try ParquetFile.open(reading: MemoryByteSource(bytes: bytes), name: name)
        let footerLength =
            Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
            | Int(bytes[bytes.count - 6]) << 16 | Int(bytes[bytes.count - 5]) << 24
        var headers: [Range<Int>] = []
        var bodies: [Range<Int>] = []
        for group in file.rowGroups {
            for chunk in group.columns where !chunk.byteRange.isEmpty {
                var position = chunk.byteRange.lowerBound
                while position < chunk.byteRange.upperBound {
                    var reader = ThriftCompactReader(bytes: bytes, range: position..<chunk.byteRange.upperBound, maxDepth: 64)
                    let header = try PageHeader(from: &reader)
                    headers.append(position..<reader.position)
                    bodies.append(reader.position..<reader.position + Int(header.compressedPageSize))
                    position = reader.position + Int(header.compressedPageSize)
                }
            }
        }
        return Base(
            name: name, bytes: bytes, footer: bytes.count - 8 - footerLength..<bytes.count - 8,
            pageHeaders: headers, pageBodies: bodies)
    }

    enum Mutation: Int, CaseIterable {
        case bitFlip, byteSet, truncate, splice, footerLength, footerBytes, pageHeader, pageBody
    }

    static let interestingBytes: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0F, 0xF0, 0x15, 0x19, 0x1C]

    static func interestingByte(_ random: inout SplitMix64) -> UInt8 {
        random.below(2) == 0 ? interestingBytes[random.below(interestingBytes.count)] : UInt8(truncatingIfNeeded: random.next())
    }

    static func position(in range: Range<Int>, _ random: inout SplitMix64) -> Int {
        range.isEmpty ? range.lowerBound : range.lowerBound + random.below(range.count)
    }

    /// Applies one mutation; returns a short description for failure messages.
    static func mutate(_ bytes: inout [UInt8], base: Base, others: [Base], _ mutation: Mutation, _ random: inout SplitMix64) -> String {
        guard !bytes.isEmpty else { return "empty" }
        switch mutation {
        case .bitFlip:
            let at = random.below(bytes.count)
            let bit = random.below(8)
            bytes[at] ^= UInt8(1) << UInt8(bit)
            return "flip bit \(bit) at \(at)"
        case .byteSet:
            let at = random.below(bytes.count)
            bytes[at] = interestingByte(&random)
            return "set byte at \(at) to \(bytes[at])"
        case .truncate:
            let length = random.below(2) == 0 ? max(0, bytes.count - 1 - random.below(64)) : random.below(bytes.count)
            bytes.removeSubrange(length...)
            return "truncate to \(length)"
        case .splice:
            let donor = random.below(3) == 0 ? others[random.below(others.count)].bytes : bytes
            let length = 1 + random.below(64)
            let from = random.below(max(1, donor.count - length))
            let to = random.below(max(1, bytes.count - length))
            let piece = donor[from..<min(donor.count, from + length)]
            bytes.replaceSubrange(to..<min(bytes.count, to + piece.count), with: piece)
            return "splice \(piece.count) bytes from \(from) to \(to)"
        case .footerLength:
            guard bytes.count >= 8 else { return "short" }
            let original = base.footer.count
            let candidates = [
                0, 1, original - 1, original + 1, original + 1 + random.below(64), original - 1 - random.below(min(64, original)),
                bytes.count - 8, bytes.count - 12, bytes.count, Int(UInt32.max), Int(UInt32(truncatingIfNeeded: random.next())),
            ]
            let value = UInt32(truncatingIfNeeded: candidates[random.below(candidates.count)])
            for offset in 0..<4 { bytes[bytes.count - 8 + offset] = UInt8(truncatingIfNeeded: value >> UInt32(offset * 8)) }
            return "footer length \(value)"
        case .footerBytes:
            var what: [String] = []
            for _ in 0..<(1 + random.below(4)) {
                let at = position(in: base.footer, &random)
                guard at < bytes.count else { continue }
                bytes[at] = interestingByte(&random)
                what.append("\(at)=\(bytes[at])")
            }
            return "footer bytes " + what.joined(separator: ",")
        case .pageHeader:
            guard !base.pageHeaders.isEmpty else { return "no pages" }
            let header = base.pageHeaders[random.below(base.pageHeaders.count)]
            var what: [String] = []
            for _ in 0..<(1 + random.below(3)) {
                let at = position(in: header, &random)
                guard at < bytes.count else { continue }
                bytes[at] = interestingByte(&random)
                what.append("\(at)=\(bytes[at])")
            }
            return "page header bytes " + what.joined(separator: ",")
        case .pageBody:
            guard !base.pageBodies.isEmpty else { return "no pages" }
            let body = base.pageBodies[random.below(base.pageBodies.count)]
            var what: [String] = []
            for _ in 0..<(1 + random.below(4)) {
                let at = position(in: body, &random)
                guard at < bytes.count else { continue }
                bytes[at] = interestingByte(&random)
                what.append("\(at)=\(bytes[at])")
            }
            return "page body bytes " + what.joined(separator: ",")
        }
    }

    @Test("seeded mutations: each file reads or throws ParquetError", .timeLimit(.minutes(3)))
    func mutatedFixturesNeverCrash() async throws {
        let outcome = try await OffPool.run { try Self.runMutations() }
        let summary = outcome.errorKinds.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        print("fuzz: seed \(Self.seed), \(Self.iterations) mutations in \(outcome.elapsed): \(outcome.readCount) read, errors: \(summary)")
        #expect(outcome.misattributed.isEmpty, "errors naming another file: \(outcome.misattributed)")
        #expect(outcome.readCount + outcome.errorKinds.values.reduce(0, +) == Self.iterations)
        // Most mutations must be caught: a decoder that ignored its input would read them all.
        #expect(outcome.errorKinds.values.reduce(0, +) > Self.iterations / 3)
    }

    struct FuzzOutcome: Sendable {
        var readCount = 0
        var errorKinds: [ParquetError.Kind: Int] = [:]
        /// Errors whose file name is not the file read, as "iteration N: error".
        var misattributed: [String] = []
        var elapsed: Duration = .zero
    }

    /// The mutations, off the cooperative pool; the test checks what they gave.
    static func runMutations() throws -> FuzzOutcome {
        let names = FixtureFiles.sharedCases + ["generated/extra_types"]
        let bases = try names.map(Self.loadBase)
        let verbose = Self.environment["PARQUET_FUZZ_VERBOSE"] == "1"
        var random = SplitMix64(seed: Self.seed)
        var outcome = FuzzOutcome()
        let started = ContinuousClock.now

        for iteration in 0..<Self.iterations {
            let base = bases[random.below(bases.count)]
            var bytes = base.bytes
            var descriptions: [String] = []
            let mutationCount = random.below(4) == 0 ? 2 + random.below(2) : 1
            for _ in 0..<mutationCount {
                let mutation = Mutation(rawValue: random.below(Mutation.allCases.count))!
                descriptions.append(Self.mutate(&bytes, base: base, others: bases, mutation, &random))
            }
            if verbose {
                FileHandle.standardError.write(Data("fuzz \(iteration) \(base.name): \(descriptions.joined(separator: "; "))\n".utf8))
            }
            do {
                try BrokenFileTests.readEverything(MemoryByteSource(bytes: bytes), name: base.name)
                outcome.readCount += 1
            } catch {
                outcome.errorKinds[error.kind, default: 0] += 1
                if error.fileName != base.name { outcome.misattributed.append("iteration \(iteration): \(error)") }
            }
        }
        outcome.elapsed = ContinuousClock.now - started
        return outcome
    }
}
