/// Tests of paired samples: two measurements per unit (here per seed: the accuracy of the encoder
/// retrained without the top-N points and of the one retrained without N random points), tested on the
/// unit-wise differences dᵢ = aᵢ − bᵢ.
///
/// - Paired t (scipy.stats.ttest_rel): t = mean(d) / (s_d/√n), ν = n − 1 (the one-sample t-test of d
///   against 0, `TTest.oneSample`); `alternative` .less means H₁: mean(a) < mean(b).
/// - Exact sign-flip permutation (scipy.stats.permutation_test with permutation_type='samples',
///   n_resamples=inf, statistic mean(a − b)): under H₀ each dᵢ is as likely to have either sign, so the
///   null distribution of mean(d) is that of mean(sᵢ·dᵢ) over all 2ⁿ sign vectors s. p = the share of the
///   2ⁿ sign vectors (the observed one included) whose mean is ≤ the observed one (less), ≥ it (greater),
///   or, two-sided, twice the smaller of the two shares (capped at 1). Means within γ = 100·ε·|observed|
///   (ε the Double epsilon) of the observed one count as equal, as in scipy, since rounding differs
///   between sums of the same values with other signs. It assumes no normality, but its smallest
///   possible one-sided p is 2⁻ⁿ: 0.125 at 3 seeds, 0.0625 at 4, so below 5 seeds it can never reach 0.05.
///   Exact for n ≤ 24 (16.8 million sign vectors); larger n is refused (use the t-test).
public enum PairedTest {
    /// The paired t-test of `a` against `b` (same length, paired by position); not computable below 2
    /// pairs or when every difference is equal.
    public static func t(_ a: [Double], _ b: [Double], alternative: Alternative = .twoSided) -> TTestResult {
        precondition(a.count == b.count, "paired samples must have the same length")
        return TTest.oneSample(zip(a, b).map { $0 - $1 }, against: 0, alternative: alternative)
    }

    /// The largest n `signFlipPValue` enumerates.
    public static let maximumSignFlipCount = 24

    /// The exact sign-flip permutation p of the differences a − b; NaN when there are no pairs or more
    /// than `maximumSignFlipCount`.
    public static func signFlipPValue(_ a: [Double], _ b: [Double], alternative: Alternative = .twoSided) -> Double {
        precondition(a.count == b.count, "paired samples must have the same length")
        let d = zip(a, b).map { $0 - $1 }
        let n = d.count
        guard n >= 1, n <= maximumSignFlipCount else { return .nan }
        let observed = d.reduce(0, +) / Double(n)
        let tolerance = abs(100 * Double.ulpOfOne * observed)
        var below = 0
        var above = 0
        let total = 1 << n
        for mask in 0..<total {
            var sum = 0.0
            for i in 0..<n { sum += mask & (1 << i) == 0 ? d[i] : -d[i] }
            let mean = sum / Double(n)
            if mean <= observed + tolerance { below += 1 }
            if mean >= observed - tolerance { above += 1 }
        }
        let less = Double(below) / Double(total)
        let greater = Double(above) / Double(total)
        switch alternative {
        case .less: return less
        case .greater: return greater
        case .twoSided: return min(1, 2 * min(less, greater))
        }
    }
}
