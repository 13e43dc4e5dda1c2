/// The Eisel-Lemire algorithm: converts w * 10^q to the nearest Double using a 128-bit truncated power of five.
///
/// Follows Daniel Lemire's fast_float (`compute_float`, "Number Parsing at a Gigabyte per Second", 2021) including its
/// subnormal path and its exact round-half-to-even detection, and Noble Mushtak & Daniel Lemire, "Fast Number Parsing
/// Without Fallback" (2023), which proves that the 128-bit product computed below always determines the result for
/// w < 2^64 and q in -342...308.
enum EiselLemire {
    /// Smallest and largest q with an entry in `powersOfFive128`.
    static let smallestPowerOfTen = -342
    static let largestPowerOfTen = 308

    private static let explicitMantissaBits = 52
    private static let exponentBias = 1023
    private static let infiniteBiasedExponent: Int = 0x7FF
    /// w * 10^q can be exactly halfway between two doubles, i.e. equal h * 2^e with h odd and 54 bits long, only for q
    /// in this range: for q < 0, w = h * 2^(e-q) * 5^-q >= 2^53 * 5^-q must fit in 64 bits, so 5^-q < 2^11 (q >= -4);
    /// for q > 0, 5^q must divide the odd h < 2^54, so q <= 23.
    private static let minExponentRoundToEven = -4
    private static let maxExponentRoundToEven = 23

    /// Correctly rounded w * 10^q as a Double, for a decimal mantissa w (up to 19 digits, w != 0) and exponent q,
    /// or nil when the algorithm cannot decide (the caller then falls back to strtod). Never returns a wrong value.
    ///
    /// - Precondition: w != 0 by contract; w == 0 is tolerated and gives a zero carrying the requested sign.
    /// - Returns: never nil for a 64-bit w: outside the table, q < -342 gives w * 10^q < 2^64 * 10^-343 ~ 1.8e-324,
    ///   below half the smallest subnormal (~2.47e-324), so zero; q > 308 gives at least 10^309, so infinity; inside
    ///   the table the 128-bit product always decides (Mushtak & Lemire). The Optional keeps the strtod-fallback
    ///   contract so that callers need not rely on that proof.
    static func double(mantissa w: UInt64, exponent q: Int, negative: Bool) -> Double? {
        let magnitudeBits: UInt64
        if w == 0 || q < smallestPowerOfTen {
            magnitudeBits = 0
        } else if q > largestPowerOfTen {
            magnitudeBits = Double.infinity.bitPattern
        } else {
            magnitudeBits = binaryBits(mantissa: w, exponent: q)
        }
        // Shifting the flag in, rather than branching on it, keeps random signs from costing branch mispredictions.
        let signBit = UInt64(negative ? 1 : 0) << 63
        return Double(bitPattern: magnitudeBits | signBit)
    }

    /// The bit pattern of the positive Double nearest to w * 10^q, for w != 0 and q in the table's range.
    @inline(__always)
    private static func binaryBits(mantissa w: UInt64, exponent q: Int) -> UInt64 {
        // Normalize so that the product's most significant bit is at bit 127 or 126.
        let leadingZeros = w.leadingZeroBitCount
        let normalizedW = w << UInt64(leadingZeros)

        // 54 bits are needed: 52 explicit + the implicit bit + one rounding bit, and the product may start one bit lower.
        let product = truncatedProduct(normalizedW, powerOfTen: q, precisionBits: explicitMantissaBits + 3)
        let upperBit = Int(product.high >> 63)
        let shift = UInt64(upperBit + 64 - explicitMantissaBits - 3)
        var mantissa = product.high >> shift
        var biasedExponent = binaryExponent(ofPowerOfTen: q) + upperBit - leadingZeros + exponentBias

        if biasedExponent <= 0 {
            return subnormalBits(mantissa: mantissa, biasedExponent: biasedExponent)
        }

        // Round half to even. `mantissa & 3 == 1` means the last kept bit is even and the rounding bit is set; if
        // everything below the rounding bit is zero (the bits shifted out of `high`, and `low`, which may be 1 because
        // the table rounds the entries for q in -27...-1 up), we are exactly halfway: drop the rounding bit.
        if product.low <= 1, q >= minExponentRoundToEven, q <= maxExponentRoundToEven, mantissa & 3 == 1,
            mantissa << shift == product.high
        {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= 2 << UInt64(explicitMantissaBits) {
            // Rounding carried into a 54th bit: the result is 2^53 * 2^e, i.e. the next binade.
            mantissa = 1 << UInt64(explicitMantissaBits)
            biasedExponent += 1
        }
        if biasedExponent >= infiniteBiasedExponent {
            return UInt64(infiniteBiasedExponent) << UInt64(explicitMantissaBits)
        }
        let fraction = mantissa & ~(1 << UInt64(explicitMantissaBits))
        return UInt64(biasedExponent) << UInt64(explicitMantissaBits) | fraction
    }

    /// Rounds the 54-bit `mantissa` for a result whose biased exponent is zero or negative.
    ///
    /// No halfway check is needed here: results below 2^-1022 need q <= -308, and an exact tie h * 2^-1075 = w * 10^q
    /// would make w a multiple of 5^-q >= 5^308, impossible for a 64-bit w, so rounding half up is always correct.
    @inline(__always)
    private static func subnormalBits(mantissa: UInt64, biasedExponent: Int) -> UInt64 {
        let extraShift = 1 - biasedExponent
        if extraShift >= 64 {
            return 0
        }
        var rounded = mantissa >> UInt64(extraShift)
        rounded += rounded & 1
        rounded >>= 1
        // Rounding may carry up to 2^52, the smallest normal (e.g. 2.2250738585072013e-308): the fraction bits are then
        // zero and the biased exponent 1, which is exactly what the bit pattern `rounded` already encodes.
        return rounded
    }

    /// floor(log2(10^q)) + 63 without floating point: 217706 / 2^16 approximates log2(10) closely enough that the
    /// floor is exact for every q in the table's range.
    @inline(__always)
    private static func binaryExponent(ofPowerOfTen q: Int) -> Int {
        (((152_170 + 65_536) * q) >> 16) + 63
    }

    /// The top 128 bits of the 192-bit product of the normalized w with the 128-bit table entry for 5^q. The low table
    /// word is only multiplied in when the bits below the top `precisionBits` of the first product are all ones, the
    /// only case in which its carry could change those bits.
    @inline(__always)
    private static func truncatedProduct(_ w: UInt64, powerOfTen q: Int, precisionBits: Int) -> (high: UInt64, low: UInt64) {
        let index = 2 * (q - smallestPowerOfTen)
        var first = w.multipliedFullWidth(by: powersOfFive128[index])
        let precisionMask = UInt64.max >> UInt64(precisionBits)
        if first.high & precisionMask == precisionMask {
            let second = w.multipliedFullWidth(by: powersOfFive128[index + 1])
            let (sum, carry) = first.low.addingReportingOverflow(second.high)
            first.low = sum
            if carry {
                first.high &+= 1
            }
        }
        return (first.high, first.low)
    }
}
