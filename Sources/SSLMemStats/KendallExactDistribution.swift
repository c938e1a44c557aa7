/// The exact null distribution of Kendall's statistic without ties: under
/// independence all n! orderings are equally likely, and the number of
/// discordant pairs is the number of inversions of a random permutation
/// (Kendall, Rank Correlation Methods, 1970). Its probabilities follow
/// Pₙ(k) = (1/n) Σ_{i=0}^{min(k, n−1)} Pₙ₋₁(k − i), P₁(0) = 1, computed with
/// running sums up to the observed count only: O(n·c) time.
public enum KendallExactDistribution {
    /// p-value for `concordant` concordant pairs among n points, as scipy's
    /// exact method: two-sided p = 2·P(K ≤ min(c, n₀ − c)) (capped at 1);
    /// one-sided halves it when the observation lies on the alternative's side,
    /// else 1 − P/2 + P(K = c).
    public static func pValue(n: Int, concordant: Int, alternative: Alternative) -> Double {
        let total = n * (n - 1) / 2
        let inRightTail = concordant >= total - concordant
        let c = min(concordant, total - concordant)
        var twoSided: Double
        var massAtC: Double
        if n <= 2 {
            twoSided = 1
            massAtC = n == 2 ? 0.5 : 1
        } else if 4 * c == n * (n - 1) && alternative == .twoSided {
            twoSided = 1
            massAtC = 0
        } else {
            let p = lowerTail(n: n, upTo: c)
            twoSided = 2 * p.reduce(0, +)
            massAtC = p[c]
        }
        var result = twoSided
        if alternative != .twoSided {
            result = inRightTail == (alternative == .greater) ? twoSided / 2 : 1 - twoSided / 2 + massAtC
        }
        return min(1, max(0, result))
    }

    /// Pₙ(0), …, Pₙ(c).
    static func lowerTail(n: Int, upTo c: Int) -> [Double] {
        var p = [Double](repeating: 0, count: c + 1)
        p[0] = 1
        var prefix = [Double](repeating: 0, count: c + 2)
        for j in 2...n {
            for k in 0...c { prefix[k + 1] = prefix[k] + p[k] }
            let scale = 1 / Double(j)
            for k in 0...c { p[k] = (prefix[k + 1] - prefix[max(0, k - j + 1)]) * scale }
        }
        return p
    }
}
