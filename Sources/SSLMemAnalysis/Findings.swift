import Foundation
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

/// A report's findings: the paper's claims checked on the numbers, each with a verdict, the test's p and
/// its Holm-adjusted p (`PValueAdjustment.holm`, family-wise error 5%, over the claims of one report), an
/// effect with a two-sided 95% interval, and one plain sentence.
///
/// One run (`run`), a family of five claims, each fed by one t-test on the scores:
/// - "candidates score above shared points": two-sample t, one-sided (greater), candidate vs shared;
/// - "candidates score above extra points": the same, candidate vs extra;
/// - "independent points score below shared points": shared vs independent, one-sided (greater);
/// - "independent points score below extra points": extra vs independent, one-sided (greater);
///   these four are Student's pooled-variance test, or Welch's when the report uses Welch (paper Table 2);
///   effect = difference of the two means, 95% interval from the same variant's two-sided test;
/// - "shared points score about 0": one-sample t against 0, two-sided (paper Table 16); effect = the shared
///   mean with its t-interval. "About 0" needs a margin: δ = 10% of |mean(candidate) − mean(independent)|.
///   Supported when the 95% interval lies within ±δ; not supported when the adjusted p < 0.05 and the
///   interval leaves ±δ; inconclusive otherwise (too few points to tell).
/// A directional claim is supported when its adjusted p < 0.05; otherwise not supported, and the sentence
/// calls it a null result (or says the difference goes the other way when the whole interval does);
/// inconclusive when the test cannot be computed (a subset missing or too small).
///
/// One significance language: each sentence states the claim as the alternative hypothesis ("H₁: …"), then
/// the verdict, the effect with its interval, the Holm-adjusted p ("Holm p") that decides the verdict and
/// the test's own p, named "unadjusted p". No sentence says "significant" without saying which p.
///
/// Across runs (`comparison`), two families, each Holm-adjusted on its own:
/// - per pair, "A and B memorize to different degrees": Welch's two-sample t, two-sided, between the runs'
///   candidate scores (`RunMeanTest`); effect = mean(A) − mean(B) with Welch's 95% interval;
/// - per pair, "A and B rank the candidates alike": Kendall's τ-b over the candidates both scored, two-sided
///   (`KendallTau`, exact or asymptotic as there); effect = τ-b, 95% interval tanh(atanh τ ± 1.96·√(0.437/(n−4)))
///   (Fieller, Hartley & Pearson 1957; not computable for n ≤ 4). Supported when adjusted p < 0.05 and τ > 0.
public enum Findings {
    public static let alpha = 0.05

    static let runClaims: [(claim: String, a: Subset, b: Subset)] = [
        ("candidates score above shared points", .candidate, .shared),
        ("candidates score above extra points", .candidate, .extra),
        ("independent points score below shared points", .shared, .independent),
        ("independent points score below extra points", .extra, .independent)
    ]

    /// The five claims of one run, in the order above.
    public static func run(_ table: ScoresTable, welch: Bool = false) -> [RunSummary.Finding] {
        let variant: TTestResult.Variant = welch ? .welch : .student
        let testName = (welch ? "Welch" : "Student") + " two-sample t, one-sided (greater)"
        var tests = runClaims.map { claim in
            (
                TTest.twoSample(
                    table.scores(of: claim.a), table.scores(of: claim.b), variant: variant, alternative: .greater),
                TTest.twoSample(
                    table.scores(of: claim.a), table.scores(of: claim.b), variant: variant, alternative: .twoSided)
            )
        }
        let shared = TTest.oneSample(table.scores(of: .shared), against: 0, alternative: .twoSided)
        tests.append((shared, shared))
        let adjusted = holm(tests.map { $0.0.notComputable == nil ? $0.0.pValue : .nan })
        var findings: [RunSummary.Finding] = []
        for (i, claim) in runClaims.enumerated() {
            let (test, interval) = tests[i]
            let what = claim.claim
            guard test.notComputable == nil, interval.notComputable == nil else {
                findings.append(
                    .init(
                        claim: what, verdict: "inconclusive", test: testName, p: .nan, pAdjusted: .nan,
                        effect: .nan, ci95: [.nan, .nan],
                        sentence: "H₁: \(what) — inconclusive: "
                            + "\(test.notComputable ?? interval.notComputable ?? "the test cannot be computed")."))
                continue
            }
            let ci = interval.confidenceInterval
            let p = adjusted[i]
            let numbers =
                "difference of means \(NumberFormat.fixed(test.meanDifference)) [\(NumberFormat.fixed(ci.lower)), \(NumberFormat.fixed(ci.upper))]; "
                + pValues(holm: p, unadjusted: test.pValue)
            let verdict: String
            let sentence: String
            if p < alpha {
                verdict = "supported"
                sentence = "H₁: \(what) — supported (\(numbers))."
            } else if ci.upper < 0 {
                verdict = "not supported"
                sentence =
                    "H₁: \(what) — not supported: the difference goes the other way, \(claim.a) points score "
                    + "below \(claim.b) points (\(numbers))."
            } else {
                verdict = "not supported"
                sentence =
                    "H₁: \(what) — not supported (\(numbers)): a null result, no detectable difference "
                    + "(which is not proof of none)."
            }
            findings.append(
                .init(
                    claim: what, verdict: verdict, test: testName, p: test.pValue, pAdjusted: p,
                    effect: test.meanDifference, ci95: [ci.lower, ci.upper], sentence: sentence))
        }
        let what = "shared points score about 0"
        let oneSample = "one-sample t against 0, two-sided"
        if let reason = shared.notComputable {
            findings.append(
                .init(
                    claim: what, verdict: "inconclusive", test: oneSample, p: .nan, pAdjusted: .nan,
                    effect: .nan, ci95: [.nan, .nan], sentence: "H₁: \(what) — inconclusive: \(reason)."))
        } else {
            let ci = shared.confidenceInterval
            let p = adjusted[4]
            let gap = Descriptive(table.scores(of: .candidate)).mean - Descriptive(table.scores(of: .independent)).mean
            let margin = 0.1 * abs(gap)
            let numbers =
                "mean \(NumberFormat.fixed(shared.meanDifference)) [\(NumberFormat.fixed(ci.lower)), \(NumberFormat.fixed(ci.upper))]; "
                + pValues(holm: p, unadjusted: shared.pValue)
            let verdict: String
            let sentence: String
            if margin.isFinite, margin > 0, ci.lower >= -margin, ci.upper <= margin {
                verdict = "supported"
                sentence =
                    "H₁: \(what) — supported: the 95% interval lies within ±\(NumberFormat.fixed(margin)), a tenth "
                    + "of the candidate − independent gap (\(numbers))."
            } else if p < alpha {
                verdict = "not supported"
                sentence =
                    "H₁: \(what) — not supported: shared points are offset from 0 (\(numbers)), so f and g "
                    + "differ on points both trained on, which shifts every score; the comparisons of candidates with "
                    + "shared and extra points subtract the shift and stay valid, absolute levels (candidates > 0) do not."
            } else {
                verdict = "inconclusive"
                sentence =
                    "H₁: \(what) — inconclusive: no detectable offset from 0, but the interval is wider than "
                    + "±\(NumberFormat.fixed(margin)), a tenth of the candidate − independent gap (\(numbers))."
            }
            findings.append(
                .init(
                    claim: what, verdict: verdict, test: oneSample, p: shared.pValue, pAdjusted: p,
                    effect: shared.meanDifference, ci95: [ci.lower, ci.upper], sentence: sentence))
        }
        return findings
    }

    /// Across runs: per pair "A and B memorize to different degrees" (Welch on points, within-run), then per pair
    /// "A and B rank the candidates alike" (Kendall's τ-b), each family Holm-adjusted. `perPointMeans: false`
    /// leaves out the first family, when the runs are seeds of setups and `seeds(_:)` tests them across seeds.
    public static func comparison(
        _ tables: [ScoresTable], comparison: RunComparison,
        perPointMeans: Bool = true
    ) -> [RunSummary.Finding] {
        let names = comparison.names
        let means = perPointMeans ? RunMeanTest.pairs(tables) : []
        let meanAdjusted = holm(means.map { $0.result.notComputable == nil ? $0.result.pValue : .nan })
        var findings: [RunSummary.Finding] = zip(means, meanAdjusted).map { test, p in
            let a = names[test.a]
            let b = names[test.b]
            let r = test.result
            let claim = "\(a) and \(b) memorize to different degrees"
            let welch = "Welch two-sample t on points, two-sided (within-run, not across training randomness)"
            guard r.notComputable == nil else {
                return .init(
                    claim: claim, verdict: "inconclusive", test: welch, p: .nan, pAdjusted: .nan, effect: .nan,
                    ci95: [.nan, .nan], sentence: "H₁: \(claim) — inconclusive: \(r.notComputable!).")
            }
            let ci = r.confidenceInterval
            let numbers =
                "mean candidate score \(a) − \(b) = \(NumberFormat.fixed(r.meanDifference)) [\(NumberFormat.fixed(ci.lower)), \(NumberFormat.fixed(ci.upper))]; "
                + pValues(holm: p, unadjusted: r.pValue)
            if p < alpha {
                let more = r.meanDifference > 0 ? a : b
                return .init(
                    claim: claim, verdict: "supported", test: welch, p: r.pValue, pAdjusted: p,
                    effect: r.meanDifference, ci95: [ci.lower, ci.upper],
                    sentence: "H₁: \(claim) — supported: \(more) memorizes its candidates more (\(numbers)).")
            }
            return .init(
                claim: claim, verdict: "not supported", test: welch, p: r.pValue, pAdjusted: p,
                effect: r.meanDifference, ci95: [ci.lower, ci.upper],
                sentence: "H₁: \(claim) — not supported (\(numbers)): a null result, no detectable "
                    + "difference (which is not proof of none).")
        }
        var pairs: [(Int, Int, KendallResult)] = []
        for i in names.indices { for j in names.indices where j > i { pairs.append((i, j, comparison.kendall[i][j])) } }
        let tauAdjusted = holm(pairs.map { $0.2.notComputable == nil ? $0.2.pValue : .nan })
        for ((i, j, k), p) in zip(pairs, tauAdjusted) {
            let a = names[i]
            let b = names[j]
            let claim = "\(a) and \(b) rank the candidates alike"
            let test = "Kendall's τ-b, two-sided (\(k.method.rawValue))"
            guard k.notComputable == nil else {
                findings.append(
                    .init(
                        claim: claim, verdict: "inconclusive", test: test, p: .nan, pAdjusted: .nan,
                        effect: .nan, ci95: [.nan, .nan],
                        sentence: "H₁: \(claim) — inconclusive: \(k.notComputable!)."))
                continue
            }
            let ci = tauInterval(k.tau, n: k.count)
            let numbers =
                "τ-b = \(NumberFormat.fixed(k.tau, 3)) [\(NumberFormat.fixed(ci[0], 3)), \(NumberFormat.fixed(ci[1], 3))] over \(k.count) candidates; "
                + pValues(holm: p, unadjusted: k.pValue)
            let verdict: String
            let sentence: String
            if p < alpha, k.tau > 0 {
                verdict = "supported"
                sentence = "H₁: \(claim) — supported (\(numbers))."
            } else if p < alpha {
                verdict = "not supported"
                sentence = "H₁: \(claim) — not supported: they rank the candidates in opposite orders (\(numbers))."
            } else {
                verdict = "not supported"
                sentence =
                    "H₁: \(claim) — not supported (\(numbers)): a null result, no detectable association "
                    + "(which does not show that the rankings are unrelated)."
            }
            findings.append(
                .init(
                    claim: claim, verdict: verdict, test: test, p: k.pValue, pAdjusted: p, effect: k.tau,
                    ci95: ci, sentence: sentence))
        }
        return findings
    }

    /// "Holm p = 0.1144, unadjusted p = 0.0572": the p that decides a verdict, then the test's own.
    public static func pValues(holm: Double, unadjusted: Double) -> String {
        "Holm p = \(NumberFormat.pValue(holm)), unadjusted p = \(NumberFormat.pValue(unadjusted))"
    }

    /// The finding (claim) a run's two-sample test of `a` above `b` feeds, if any.
    public static func runClaim(a: Subset, b: Subset) -> String? {
        runClaims.first { $0.a == a && $0.b == b }?.claim
    }

    /// Holm over the finite p-values; NaN (a test not computable) stays NaN and is not counted in the family.
    static func holm(_ p: [Double]) -> [Double] {
        let finite = p.indices.filter { p[$0].isFinite }
        let adjusted = PValueAdjustment.holm(finite.map { p[$0] })
        var out = [Double](repeating: .nan, count: p.count)
        for (k, i) in finite.enumerated() { out[i] = adjusted[k] }
        return out
    }

    /// 95% interval of Kendall's τ-b by Fisher's z with var(z) ≈ 0.437/(n − 4) (Fieller, Hartley & Pearson 1957).
    public static func tauInterval(_ tau: Double, n: Int) -> [Double] {
        guard n > 4, abs(tau) < 1 else { return n > 4 ? [tau, tau] : [.nan, .nan] }
        let z = atanh(tau)
        let half = 1.959963984540054 * (0.437 / Double(n - 4)).squareRoot()
        return [tanh(z - half), tanh(z + half)]
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
