/// Renders a DECIMAL as plain text with exactly `scale` fraction digits (`-12.30`, `0.05`,
/// `99999` for scale 0), computed from the unscaled integer so no precision is lost.
enum DecimalText {
    static func render(unscaled: Int128, scale: Int) -> String {
        var digits = String(unscaled.magnitude)
        let sign = unscaled < 0 ? "-" : ""
        guard scale > 0 else { return sign + digits }
        if digits.count <= scale {
            digits = String(repeating: "0", count: scale - digits.count + 1) + digits
        }
        let split = digits.index(digits.endIndex, offsetBy: -scale)
        return sign + digits[..<split] + "." + digits[split...]
    }
}
