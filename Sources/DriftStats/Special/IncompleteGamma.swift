import Foundation

/// The regularized upper incomplete gamma function Q(a, x), by series below a+1 and Lentz's continued fraction
/// above (as in Numerical Recipes), accurate to about 1e-14 relative; chi-square tails come from it.
enum IncompleteGamma {
    static func upperRegularized(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x.isInfinite { return 0 }
        if x < a + 1 { return 1 - Self.lowerSeries(a, x) }
        return Self.upperContinuedFraction(a, x)
    }

    private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var denominator = a
        for _ in 0..<10_000 {
            denominator += 1
            term *= x / denominator
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    private static func upperContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }
}

enum ChiSquareDistribution {
    static func survival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        IncompleteGamma.upperRegularized(k / 2, x / 2)
    }
}
