/// The alternative hypothesis of a test, as scipy names it.
public enum Alternative: String, CaseIterable, Sendable, Codable {
    /// H₁: the effect differs from the null value in either direction.
    case twoSided = "two-sided"
    /// H₁: the effect is greater (first sample's mean above the second's, or above the value).
    case greater
    /// H₁: the effect is less.
    case less

    /// The p-value of a statistic with a symmetric null distribution given by
    /// its lower tail P(S ≤ s) and upper tail P(S > s):
    /// greater → upper(s), less → lower(s), two-sided → 2·upper(|s|) (capped at 1).
    func pValue(_ statistic: Double, lower: (Double) -> Double, upper: (Double) -> Double) -> Double {
        switch self {
        case .greater: return upper(statistic)
        case .less: return lower(statistic)
        case .twoSided: return min(1, 2 * upper(abs(statistic)))
        }
    }
}
