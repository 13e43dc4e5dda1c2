import Foundation

/// Numerical special functions, each following the SciPy routine Evidently calls so that scores agree to well
/// below the fixtures' tolerance.
enum Special {
    /// ln|Γ(x)|. (The bare C `lgamma` is ambiguous next to Foundation's overloads on Linux.)
    static func logGamma(_ x: Double) -> Double {
        let value: Double = lgamma(x)
        return value
    }
}
