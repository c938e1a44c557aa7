import Foundation

/// Outcome of a t-test, with the numbers scipy.stats.ttest_ind / ttest_1samp
/// report and two effect sizes.
public struct TTestResult: Sendable, Equatable {
    public enum Variant: String, Sendable, Codable {
        /// Two samples, pooled variance (scipy `equal_var=True`).
        case student
        /// Two samples, Welch–Satterthwaite degrees of freedom (scipy `equal_var=False`).
        case welch
        /// One sample against a value.
        case oneSample = "one-sample"
    }

    public var variant: Variant
    public var alternative: Alternative
    public var statistic: Double
    public var degreesOfFreedom: Double
    public var pValue: Double
    /// mean(a) − mean(b), or mean(a) − μ₀ for one sample.
    public var meanDifference: Double
    /// 95% confidence interval of `meanDifference` on the side of the
    /// alternative, as scipy's `confidence_interval()`: two-sided → both bounds;
    /// greater → (lower, +∞); less → (−∞, upper).
    public var confidenceInterval: Interval
    /// Cohen's d: meanDifference / pooled SD (ddof 1); one sample: (mean − μ₀) / SD.
    public var cohensD: Double
    /// Hedges' g = J(ν)·d with the exact small-sample factor
    /// J(ν) = Γ(ν/2) / (√(ν/2) Γ((ν−1)/2)), ν = n₁+n₂−2 (one sample: n−1).
    public var hedgesG: Double
    /// Why the test cannot be computed (too few values, zero variance); the numbers are NaN then.
    public var notComputable: String?
}

/// Student's and Welch's t-tests (scipy.stats.ttest_ind, ttest_1samp).
///
/// Two samples a, b with means m, variances s² (ddof 1), sizes n:
/// - Student: sₚ² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2), SE = sₚ√(1/n₁+1/n₂), ν = n₁+n₂−2;
/// - Welch: SE = √(s₁²/n₁ + s₂²/n₂), ν = SE⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1));
/// - t = (m₁ − m₂)/SE. One sample: t = (m − μ₀)/(s/√n), ν = n − 1.
/// p-values from GSL's t distribution: greater P(T > t), less P(T ≤ t),
/// two-sided 2·P(T > |t|). Where p is below the smallest Double it is 0.
public enum TTest {
    public static func twoSample(
        _ a: [Double], _ b: [Double], variant: TTestResult.Variant = .student, alternative: Alternative = .twoSided
    ) -> TTestResult {
        precondition(variant != .oneSample, "use oneSample(_:against:alternative:)")
        let x = Descriptive(a)
        let y = Descriptive(b)
        let df = Double(x.count + y.count - 2)
        let pooledVariance = ((Double(x.count) - 1) * x.variance + (Double(y.count) - 1) * y.variance) / df
        let difference = x.mean - y.mean
        let d = difference / pooledVariance.squareRoot()
        let reason: String? =
            x.count < 2 || y.count < 2
            ? "needs at least 2 values in each sample (has \(x.count) and \(y.count))"
            : pooledVariance == 0 ? "both samples are constant (zero variance)" : nil
        if let reason { return .notComputable(variant, alternative, reason) }
        let se: Double
        let nu: Double
        switch variant {
        case .welch:
            let vx = x.variance / Double(x.count)
            let vy = y.variance / Double(y.count)
            se = (vx + vy).squareRoot()
            nu = (vx + vy) * (vx + vy) / (vx * vx / Double(x.count - 1) + vy * vy / Double(y.count - 1))
        default:
            se = (pooledVariance * (1 / Double(x.count) + 1 / Double(y.count))).squareRoot()
            nu = df
        }
        return result(variant, alternative, difference: difference, se: se, nu: nu, d: d, effectDF: df)
    }

    public static func oneSample(
        _ a: [Double], against value: Double = 0, alternative: Alternative = .twoSided
    ) -> TTestResult {
        let x = Descriptive(a)
        let reason: String? =
            x.count < 2
            ? "needs at least 2 values (has \(x.count))"
            : x.variance == 0 ? "the sample is constant (zero variance)" : nil
        if let reason { return .notComputable(.oneSample, alternative, reason) }
        let difference = x.mean - value
        return result(
            .oneSample, alternative, difference: difference, se: x.standardError,
            nu: Double(x.count - 1), d: difference / x.standardDeviation, effectDF: Double(x.count - 1))
    }

    private static func result(
        _ variant: TTestResult.Variant, _ alternative: Alternative, difference: Double, se: Double, nu: Double,
        d: Double, effectDF: Double
    ) -> TTestResult {
        let t = difference / se
        let p = alternative.pValue(
            t, lower: { Distributions.studentP($0, df: nu) },
            upper: { Distributions.studentQ($0, df: nu) })
        let interval: Interval
        switch alternative {
        case .twoSided:
            let half = Distributions.studentQuantile(0.975, df: nu) * se
            interval = Interval(difference - half, difference + half)
        case .greater:
            interval = Interval(difference - Distributions.studentQuantile(0.95, df: nu) * se, .infinity)
        case .less:
            interval = Interval(-.infinity, difference + Distributions.studentQuantile(0.95, df: nu) * se)
        }
        // J(1) = 0 is the limit Γ((ν−1)/2) → ∞.
        let j =
            effectDF > 1
            ? exp(Distributions.logGamma(effectDF / 2) - Distributions.logGamma((effectDF - 1) / 2))
                / (effectDF / 2).squareRoot()
            : 0
        return TTestResult(
            variant: variant, alternative: alternative, statistic: t, degreesOfFreedom: nu, pValue: p,
            meanDifference: difference, confidenceInterval: interval, cohensD: d, hedgesG: j * d,
            notComputable: nil)
    }
}

extension TTestResult {
    static func notComputable(_ variant: Variant, _ alternative: Alternative, _ reason: String) -> TTestResult {
        TTestResult(
            variant: variant, alternative: alternative, statistic: .nan, degreesOfFreedom: .nan, pValue: .nan,
            meanDifference: .nan, confidenceInterval: Interval(.nan, .nan), cohensD: .nan, hedgesG: .nan,
            notComputable: reason)
    }
}
