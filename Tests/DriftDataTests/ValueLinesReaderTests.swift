import DriftStats
import Foundation
import Testing

@testable import DriftData

/// The stream reader of `driftloop detect` against `Double(String)`, which it replaced.
@Suite struct ValueLinesReaderTests {
    static func read(_ text: String, accepts: (Double) -> Bool = { _ in true }) throws(ValueLinesReader.Failure) -> [Double] {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(ValueLinesReader.Failure) in
            try ValueLinesReader.values(of: UnsafeBufferPointer(buffer), accepts: accepts)
        }
    }

    @Test func linesAsUsersWriteThem() throws {
        #expect(try Self.read("1\n0\n\n  0.5 \r\n-2e3\t\n+7") == [1, 0, 0.5, -2000, 7])
        #expect(try Self.read("") == [])
        #expect(try Self.read("\n\n") == [])
    }

    @Test func fullPrecisionValuesReadAsDoubleDoes() throws {
        var generator = SplitMix64(seed: 20_261_207)
        var values: [Double] = []
        for _ in 0..<50_000 {
            let bits = generator.next()
            let candidate = Double(bitPattern: bits)
            values.append(candidate.isFinite ? candidate : Double(bits >> 11) / Double(1 << 53))
        }
        let text = values.map { "\($0)" }.joined(separator: "\n") + "\n" + values.map { String(format: "%.17g", $0) }.joined(separator: "\n")
        let read = try Self.read(text)
        #expect(read.count == values.count * 2)
        let expected = text.split(separator: "\n").map { Double(String($0))! }
        #expect(zip(read, expected).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    @Test func theFirstBadLineIsNamedWithItsNumber() {
        #expect(throws: ValueLinesReader.Failure(line: 3, text: "abc", kind: .notANumber)) { try Self.read("1\n2\nabc\n4") }
        #expect(throws: ValueLinesReader.Failure(line: 2, text: "inf", kind: .notANumber)) { try Self.read("1\ninf\n") }
        #expect(throws: ValueLinesReader.Failure(line: 4, text: "2", kind: .notAccepted)) {
            try Self.read("0\n1\n\n2\n", accepts: { $0 == 0 || $0 == 1 })
        }
    }
}
