import Testing

@testable import ParquetFormat

@Suite("CSV value formatting (section 8)")
struct CSVFormattingTests {
    /// Expected texts are Python 3.11's repr() of the same doubles.
    @Test(
        "floats render like Python repr",
        arguments: [
            (0.1, "0.1"), (1.0, "1.0"), (100.0, "100.0"), (-0.0, "-0.0"), (0.0, "0.0"),
            (1e16, "1e+16"), (1234567890123456.0, "1234567890123456.0"), (123456789012345680.0, "1.2345678901234568e+17"),
            (1e-05, "1e-05"), (0.0001, "0.0001"), (0.00012345, "0.00012345"), (2.5e-07, "2.5e-07"),
            (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (1e22, "1e+22"),
            (Double(Float.leastNonzeroMagnitude), "1.401298464324817e-45"), (Double(Float.greatestFiniteMagnitude), "3.4028234663852886e+38"),
            (94.5102767944336, "94.5102767944336"), (-12.5, "-12.5"), (Double.infinity, "inf"), (-Double.infinity, "-inf"),
        ])
    func pythonFloatText(_ value: Double, _ expected: String) {
        #expect(PythonFloatText.render(value) == expected)
    }

    @Test("NaN renders as nan whatever its sign or payload")
    func nan() {
        #expect(PythonFloatText.render(.nan) == "nan")
        #expect(PythonFloatText.render(-Double.nan) == "nan")
        #expect(PythonFloatText.render(Double(bitPattern: 0x7FF0_0000_0000_0001)) == "nan")
    }

    @Test("dates and timestamps use floor division and the proleptic Gregorian calendar")
    func dates() {
        #expect(CivilTime.dateText(daysSinceEpoch: 0) == "1970-01-01")
        #expect(CivilTime.dateText(daysSinceEpoch: -1) == "1969-12-31")
        #expect(CivilTime.dateText(daysSinceEpoch: -719_162) == "0001-01-01")
        #expect(CivilTime.dateText(daysSinceEpoch: 2_932_896) == "9999-12-31")
        #expect(CivilTime.dateText(daysSinceEpoch: 11_016) == "2000-02-29")
        #expect(CivilTime.timestampText(ticks: -1, unit: .microseconds, isAdjustedToUTC: false) == "1969-12-31T23:59:59.999999")
        #expect(CivilTime.timestampText(ticks: -1000, unit: .milliseconds, isAdjustedToUTC: true) == "1969-12-31T23:59:59.000Z")
        #expect(CivilTime.timestampText(ticks: .min, unit: .nanoseconds, isAdjustedToUTC: false) == "1677-09-21T00:12:43.145224192")
        #expect(CivilTime.timestampText(ticks: .max, unit: .nanoseconds, isAdjustedToUTC: false) == "2262-04-11T23:47:16.854775807")
        // Extreme ticks in coarse units must not trap.
        _ = CivilTime.timestampText(ticks: .min, unit: .milliseconds, isAdjustedToUTC: false)
        _ = CivilTime.timestampText(ticks: .max, unit: .milliseconds, isAdjustedToUTC: false)
        #expect(CivilTime.timeOfDayText(ticks: 3_723_004, unit: .milliseconds) == "01:02:03.004")
    }

    @Test("decimals keep exactly `scale` fraction digits")
    func decimals() {
        #expect(DecimalText.render(unscaled: -1230, scale: 2) == "-12.30")
        #expect(DecimalText.render(unscaled: 5, scale: 2) == "0.05")
        #expect(DecimalText.render(unscaled: -5, scale: 3) == "-0.005")
        #expect(DecimalText.render(unscaled: 0, scale: 2) == "0.00")
        #expect(DecimalText.render(unscaled: 99_999, scale: 0) == "99999")
        #expect(DecimalText.render(unscaled: .min, scale: 38) == "-1.70141183460469231731687303715884105728")
    }

    @Test("big-endian two's complement decimals, including sign-extended long forms")
    func bigEndianDecimals() throws {
        #expect(try ColumnValueConversion.bigEndianTwosComplement([0xFF, 0xFE], column: "d") == -2)
        #expect(try ColumnValueConversion.bigEndianTwosComplement([0x01, 0x00], column: "d") == 256)
        #expect(try ColumnValueConversion.bigEndianTwosComplement([], column: "d") == 0)
        let long = [UInt8](repeating: 0xFF, count: 20)
        #expect(try ColumnValueConversion.bigEndianTwosComplement(long[...], column: "d") == -1)
        var tooBig = [UInt8](repeating: 0, count: 20)
        tooBig[2] = 1
        #expect(throws: ParquetError.self) { try ColumnValueConversion.bigEndianTwosComplement(tooBig[...], column: "d") }
    }

    @Test("strings are always quoted, nulls are empty, binary is hex")
    func rows() throws {
        let text = ParquetColumnDescriptor(
            index: 0, name: "s", physicalType: .byteArray, logicalType: .string, repetition: .optional, typeLength: nil)
        let raw = ParquetColumnDescriptor(
            index: 1, name: "b,\"x\"", physicalType: .byteArray, logicalType: .none, repetition: .required, typeLength: nil)
        var strings = ParquetByteArrays()
        for value in ["", "say \"hi\"", "a,b\nc", "NA"] { strings.append(Array(value.utf8)) }
        var binary = ParquetByteArrays()
        for value: [UInt8] in [[], [0x00, 0xFF], [0x10], [0xAB]] { binary.append(value) }
        let columns = [
            ParquetColumn(descriptor: text, values: .string(strings), validity: ParquetValidity(isValid: [true, true, true, false])),
            ParquetColumn(descriptor: raw, values: .binary(binary), validity: nil),
        ]
        let csv = String(decoding: try ParquetCSVWriter.render(columns), as: UTF8.self)
        #expect(csv == "s,\"b,\"\"x\"\"\"\n\"\",0x\n\"say \"\"hi\"\"\",0x00ff\n\"a,b\nc\",0x10\n,0xab\n")
    }
}
