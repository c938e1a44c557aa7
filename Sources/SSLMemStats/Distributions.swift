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

    /// P(T > t) for t ≥ 0 from the regularized incomplete beta function I:
    /// ½·I_{ν/(ν+t²)}(ν/2, ½), or ½·(1 − I_{t²/(ν+t²)}(½, ν/2)) when t² < ν,
    /// each argument formed without cancellation. (GSL's own gsl_cdf_tdist_Q
    /// switches to a Cornish–Fisher approximation for ν > 30, good to ~1e-8 only.)
    private static func studentTail(_ t: Double, _ nu: Double) -> Double {
        _ = prepared
        let t2 = t * t
        if t2 < nu { return 0.5 * (1 - gsl_sf_beta_inc(0.5, nu / 2, t2 / (nu + t2))) }
        return 0.5 * gsl_sf_beta_inc(nu / 2, 0.5, nu / (nu + t2))
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
