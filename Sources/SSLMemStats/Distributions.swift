import CGSL

/// The distribution functions the tests need, from GSL (not hand-written).
/// GSL's abort-on-error handler is switched off once; its cdf routines return
/// values rather than status codes, and their inputs are checked by the callers.
public enum Distributions {
    private static let prepared: Bool = {
        sslmem_gsl_disable_abort()
        return true
    }()

    /// P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional).
    public static func studentP(_ t: Double, df: Double) -> Double {
        t >= 0 ? 1 - studentTail(t, df) : studentTail(-t, df)
    }

    /// P(T > t), computed in the tail itself, so tiny p-values keep their digits.
    public static func studentQ(_ t: Double, df: Double) -> Double {
        t >= 0 ? studentTail(t, df) : 1 - studentTail(-t, df)
    }

    /// P(T > t) for t ≥ 0 as ½·(1 − I_x(½, ν/2)), x = t²/(ν+t²), I the
    /// regularized incomplete beta: GSL's beta upper tail evaluates it on the
    /// side that keeps the digits of tiny p-values. (GSL's gsl_cdf_tdist_Q
    /// switches to a Cornish–Fisher approximation for ν > 30, off by ~1e-8
    /// relative far in the tail.)
    private static func studentTail(_ t: Double, _ nu: Double) -> Double {
        _ = prepared
        let t2 = t * t
        return 0.5 * gsl_cdf_beta_Q(t2 / (nu + t2), 0.5, nu / 2)
    }

    /// The t with P(T ≤ t) = p: GSL's inverse polished by Newton steps on `studentP`.
    public static func studentQuantile(_ p: Double, df: Double) -> Double {
        _ = prepared
        var t = gsl_cdf_tdist_Pinv(p, df)
        for _ in 0..<3 {
            let density = gsl_ran_tdist_pdf(t, df)
            guard density > 0, t.isFinite else { break }
            t -= (studentP(t, df: df) - p) / density
        }
        return t
    }

    /// Φ(z), the standard normal cdf.
    public static func normalP(_ z: Double) -> Double {
        _ = prepared
        return gsl_cdf_ugaussian_P(z)
    }

    /// 1 − Φ(z), computed directly in the upper tail.
    public static func normalQ(_ z: Double) -> Double {
        _ = prepared
        return gsl_cdf_ugaussian_Q(z)
    }

    /// ln Γ(x) for x > 0.
    public static func logGamma(_ x: Double) -> Double {
        _ = prepared
        return gsl_sf_lngamma(x)
    }
}
