/// Student's t tail probabilities: the drift engine's t-test and the paired t-test of a model comparison
/// (as scipy's `ttest_ind` and `ttest_rel` report them).
enum StudentTDistribution {
    /// P(|T| ≥ |t|) for T with `degreesOfFreedom` degrees of freedom: I_{ν/(ν+t²)}(ν/2, ½).
    static func twoSidedPValue(t: Double, degreesOfFreedom: Double) -> Double {
        if t.isNaN || degreesOfFreedom.isNaN { return .nan }
        if t.isInfinite { return 0 }
        if t == 0 { return 1 }
        let tSquared = t * t
        let denominator = degreesOfFreedom + tSquared
        // Both x and 1 − x from t directly: for large |t| x is tiny, for small |t| 1 − x is, and neither cancels.
        return IncompleteBeta.regularized(
            a: degreesOfFreedom / 2,
            b: 0.5,
            x: degreesOfFreedom / denominator,
            y: tSquared / denominator
        )
    }
}
