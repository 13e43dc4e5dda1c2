/// Renders a Double the way Python's `repr` does: the shortest digits that round-trip, in
/// positional notation when the decimal exponent is in [-4, 16), scientific otherwise
/// (`1e-05`, `1.7976931348623157e+308`), and `.0` on integral values. The fixture CSVs were
/// written that way, and the form is what data people expect to see.
package enum PythonFloatText {
    package static func render(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }

        // Swift's description already gives the shortest round-trip digits; only the layout
        // differs from Python's, so take the digits and decimal exponent from it.
        let (digits, pointPosition) = shortestDigits(of: value.magnitude)
        let sign = value < 0 ? "-" : ""
        if pointPosition <= -4 || pointPosition > 16 {
            let exponent = pointPosition - 1
            var text = sign + String(digits.first!)
            if digits.count > 1 { text += "." + digits.dropFirst() }
            let exponentDigits = String(abs(exponent))
            text += (exponent < 0 ? "e-" : "e+") + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
            return text
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// Significant digits (no leading or trailing zeros) and the position of the decimal
    /// point, such that value = 0.DIGITS × 10^pointPosition.
    static func shortestDigits(of positive: Double) -> (digits: String, pointPosition: Int) {
        let text = positive.description  // e.g. "123.45", "1e-05", "1.5e+20"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = ""
        var integerDigits = 0
        var seenPoint = false
        for character in mantissa {
            if character == "." {
                seenPoint = true
            } else {
                digits.append(character)
                if !seenPoint { integerDigits += 1 }
            }
        }
        // Strip leading zeros (each moves the point left) and trailing zeros.
        var leadingZeros = 0
        for character in digits {
            guard character == "0" else { break }
            leadingZeros += 1
        }
        digits.removeFirst(leadingZeros)
        while digits.last == "0" { digits.removeLast() }
        return (digits, integerDigits - leadingZeros + exponent)
    }
}
