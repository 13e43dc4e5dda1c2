import Foundation

/// The regularized incomplete beta function I_x(a, b), the core of the Student t tail probability.
///
/// A continued fraction (modified Lentz) with the prefactor taken in log space. The caller passes both x and
/// y = 1 − x, because for a t-test y is computed directly from t and stays exact where 1 − x would cancel.
enum IncompleteBeta {
    /// I_x(a, b) when only x is at hand.
    static func regularized(_ x: Double, _ a: Double, _ b: Double) -> Double {
        Self.regularized(a: a, b: b, x: x, y: 1 - x)
    }

    static func regularized(a: Double, b: Double, x: Double, y: Double) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        // The continued fraction converges fast only below the mean; use the symmetry otherwise.
        if x > (a + 1) / (a + b + 2) {
            return 1 - regularized(a: b, b: a, x: y, y: x)
        }
        let logPrefactor = a * log(x) + b * log(y) - logBeta(a, b)
        return exp(logPrefactor) * continuedFraction(a: a, b: b, x: x) / a
    }

    private static func continuedFraction(a: Double, b: Double, x: Double) -> Double {
        let tiny = 1e-300
        let tolerance = 1e-16
        let maxIterations = 100_000
        let sumAB = a + b
        let aPlusOne = a + 1
        let aMinusOne = a - 1
        var c = 1.0
        var d = 1 - sumAB * x / aPlusOne
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for iteration in 1...maxIterations {
            let m = Double(iteration)
            let twoM = 2 * m
            let evenTerm = m * (b - m) * x / ((aMinusOne + twoM) * (a + twoM))
            d = 1 + evenTerm * d
            if abs(d) < tiny { d = tiny }
            c = 1 + evenTerm / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            let oddTerm = -(a + m) * (sumAB + m) * x / ((a + twoM) * (aPlusOne + twoM))
            d = 1 + oddTerm * d
            if abs(d) < tiny { d = tiny }
            c = 1 + oddTerm / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            result *= step
            if abs(step - 1) < tolerance { break }
        }
        return result
    }

    /// ln B(a, b). For a large argument the two big log-gammas are replaced by their Stirling difference, because
    /// `lgamma` of a large number carries an absolute error that would become a relative error of the p-value.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let small = min(a, b)
        let large = max(a, b)
        if large < 10 {
            return lgamma(small) + lgamma(large) - lgamma(small + large)
        }
        // ln Γ(L) − ln Γ(L + s) = −(L − ½)·ln(1 + s/L) − s·ln(L + s) + s + δ(L) − δ(L + s)
        let logGammaRatio =
            -(large - 0.5) * log1p(small / large) - small * log(large + small) + small
            + stirlingCorrection(large) - stirlingCorrection(large + small)
        return lgamma(small) + logGammaRatio
    }

    /// δ(x) = ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], by its asymptotic series; accurate to ~1e-14 for x ≥ 10.
    private static func stirlingCorrection(_ x: Double) -> Double {
        let inverseSquare = 1 / (x * x)
        let series =
            1.0 / 12 - inverseSquare
            * (1.0 / 360 - inverseSquare
                * (1.0 / 1260
                    - inverseSquare * (1.0 / 1680 - inverseSquare / 1188)))
        return series / x
    }
}
