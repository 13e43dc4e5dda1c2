import DriftStats
import Foundation
import TestSupport
import Testing

@testable import DriftData

/// The CSV number parser on full-precision values (issue 20 item 1): Eisel-Lemire behind Clinger's fast path must
/// give strtod's double, bit for bit, for every input.
@Suite struct FullPrecisionNumberTests {
    /// strtod on the text, the reference every result is held to.
    static func strtodValue(_ text: String) -> Double { text.withCString { strtod($0, nil) } }

    /// NumberParser's result for the text, through the same entry the CSV reader uses.
    static func parsed(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { NumberParser.parse(UnsafeBufferPointer($0))?.0 }
    }

    /// A double from one of several spreads, so that every magnitude, both signs, the neighbourhood of powers of two
    /// (where rounding carries into the next binade) and subnormals all come up.
    static func sample(_ index: Int, _ random: inout SplitMix64) -> Double {
        switch index % 6 {
        case 0, 1:
            while true {
                let candidate = Double(bitPattern: random.next())
                if candidate.isFinite { return candidate }
            }
        case 2: return Double(random.next() >> 11) * 0x1p-53
        case 3: return Double(random.next() >> 11) * 0x1p-53 * 2e6 - 1e6
        case 4:
            let power = Double(sign: .plus, exponent: Int(random.next() % 2098) - 1074, significand: 1)
            return power + Double(Int64(bitPattern: random.next()) >> 60) * 0x1p-53 * power
        default:
            return Double(bitPattern: (random.next() % 4) << 52 | random.next() & 0x800F_FFFF_FFFF_FFFF)
        }
    }

    @Test func aMillionRandomDecimalsParseAsStrtodDoes() async {
        let (checked, mismatches) = await OffPool.run { Self.compareRandomDecimals() }
        #expect(checked == 1_500_000)
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    static func compareRandomDecimals() -> (checked: Int, mismatches: [String]) {
        var random = SplitMix64(seed: 0x5EED_F00D)
        var mismatches: [String] = []
        var checked = 0
        for index in 0..<500_000 {
            let value = Self.sample(index, &random)
            // pandas' float64 (%.17g), Swift's shortest round-trip form, and a shorter one that lands between doubles.
            for text in [String(format: "%.17g", value), "\(value)", String(format: "%.\(Int(random.next() % 16) + 1)g", value)] {
                checked += 1
                let expected = Self.strtodValue(text)
                guard let got = Self.parsed(text) else {
                    if mismatches.count < 20 { mismatches.append("\(text): not parsed") }
                    continue
                }
                if got.bitPattern != expected.bitPattern, mismatches.count < 20 { mismatches.append("\(text): \(got) != \(expected)") }
            }
        }
        return (checked, mismatches)
    }

    @Test(arguments: [
        "9007199254740993", "9007199254740992", "9007199254740995", "2.2250738585072011e-308", "2.2250738585072012e-308",
        "2.2250738585072013e-308", "2.2250738585072014e-308", "4.9406564584124654e-324", "2.4703282292062328e-324",
        "2.4703282292062327e-324", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309",
        "1e-342", "1e-343", "9999999999999999999e-10", "1844674407370955161e0", "9999999999999999999", "0.10000000000000001",
        "0.1", "-0", "-0.0", "0e400", "-1e-400", "123456789012345678e-300", "7.2057594037927933e16", "8.3350180410998178e+239",
        "0.30000000000000004", "1.0000000000000002", "4.4501477170144023e-308", "-2.5e-324", "3.4028235677973366e38",
    ])
    func hardCasesParseAsStrtodDoes(_ text: String) throws {
        let got = try #require(Self.parsed(text), "\(text) was not parsed")
        #expect(got.bitPattern == Self.strtodValue(text).bitPattern, "\(text): \(got) != \(Self.strtodValue(text))")
    }

    /// Halfway points between adjacent doubles round to even, and their neighbours do not.
    @Test func exactHalfwayPointsRoundToEven() async {
        let mismatches = await OffPool.run { Self.compareHalfwayPoints() }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    static func compareHalfwayPoints() -> [String] {
        var random = SplitMix64(seed: 0x4A1F_4A1F)
        var mismatches: [String] = []
        for _ in 0..<50_000 {
            let significand = (UInt64(1) << 52) | random.next() % (1 << 52)
            let halfway = 2 * significand + 1
            for text in ["\(halfway)", "\(halfway - 1)", "\(halfway + 1)", "\(halfway * 5)e-1", "\(halfway << 3)"] {
                if let got = Self.parsed(text), got.bitPattern != Self.strtodValue(text).bitPattern, mismatches.count < 20 {
                    mismatches.append(text)
                }
            }
        }
        return mismatches
    }
}
