import Foundation

/// How a number reads wherever a person reads it: the CLI's text tables, the HTML and PDF reports, their
/// LaTeX tables, the findings and caveat sentences. One place, so that a number is written the same way
/// everywhere. Machine-readable outputs (CSV, JSON) do not use it: they keep full precision and the ASCII
/// hyphen-minus.
///
/// - Minus: the true minus sign U+2212 ("−0.0213"), never the ASCII hyphen; a value that rounds to zero
///   has no sign ("0.0000", not "−0.0000").
/// - Missing: NaN is "n/a"; ±∞ is "∞" / "−∞".
/// - p-values: 4 decimals from 10⁻⁴ up; below, 2 significant digits in exponent form ("3.1e−07");
///   below 10⁻³⁰⁰ (and 0, which a double's underflow gives for p far below the smallest normal double,
///   ~2.2e−308) "< 1e−300".
/// - Degrees of freedom: an integer when they are one (Student's pooled test, n₁ + n₂ − 2), else one
///   decimal (Welch–Satterthwaite).
/// - Shares: percentages with one decimal ("12.5%").
/// - Mean ± standard deviation: "85.2 ± 0.4", both with the same decimals.
public enum NumberFormat {
    /// The minus sign of human output (U+2212).
    public static let minus = "\u{2212}"

    /// Below this a p-value is shown as "< 1e−300".
    public static let smallestPValue = 1e-300

    /// `digits` decimals.
    public static func fixed(_ x: Double, _ digits: Int = 4) -> String {
        if x.isNaN { return "n/a" }
        if x.isInfinite { return x < 0 ? minus + "∞" : "∞" }
        return signed(String(format: "%.\(max(0, digits))f", x))
    }

    /// A p-value (see the type's rules).
    public static func pValue(_ p: Double) -> String {
        if p.isNaN { return "n/a" }
        if p < smallestPValue { return "< 1e" + minus + "300" }
        return p < 1e-4 ? scientific(p) : fixed(p, 4)
    }

    /// `significant` significant digits in exponent form: "3.1e−07".
    public static func scientific(_ x: Double, significant: Int = 2) -> String {
        if x.isNaN { return "n/a" }
        if x == 0 { return "0" }
        return signed(String(format: "%.\(max(0, significant - 1))e", x))
    }

    /// At most `significant` significant digits, without trailing zeros ("%g"): "0.005", "1e−03" style for tiny.
    public static func general(_ x: Double, significant: Int = 2) -> String {
        if x.isNaN { return "n/a" }
        return signed(String(format: "%.\(max(1, significant))g", x))
    }

    /// Degrees of freedom: "398" (integral, Student), "397.6" (Welch).
    public static func degreesOfFreedom(_ df: Double) -> String {
        df.isFinite && df == df.rounded() ? fixed(df, 0) : fixed(df, 1)
    }

    /// A share in [0, 1] as a percentage: "12.5%".
    public static func percent(_ share: Double, _ digits: Int = 1) -> String {
        share.isNaN ? "n/a" : fixed(100 * share, digits) + "%"
    }

    /// "85.2 ± 0.4"; the standard deviation alone is left out when it is nil (a single value).
    public static func meanStd(_ mean: Double, _ std: Double?, _ digits: Int = 4) -> String {
        guard let std else { return fixed(mean, digits) }
        return fixed(mean, digits) + " ± " + fixed(std, digits)
    }

    /// A closed interval: "[−0.0123, 0.0456]".
    public static func interval(_ lower: Double, _ upper: Double, _ digits: Int = 4) -> String {
        "[" + fixed(lower, digits) + ", " + fixed(upper, digits) + "]"
    }

    /// The ASCII minus of `printf` replaced by U+2212, and dropped when every digit is 0 ("-0.00" → "0.00").
    static func signed(_ text: String) -> String {
        guard text.hasPrefix("-") else { return text.replacingOccurrences(of: "e-", with: "e" + minus) }
        let body = text.dropFirst()
        let mantissa = body.prefix { $0 != "e" }
        if mantissa.allSatisfy({ $0 == "0" || $0 == "." }) { return String(body) }
        return minus + body.replacingOccurrences(of: "e-", with: "e" + minus)
    }
}
