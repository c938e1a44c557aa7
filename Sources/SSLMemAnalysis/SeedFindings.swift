import Foundation
import SSLMemIO
import SSLMemStats
import SSLMemSupport

/// Findings and caveats with the seed as the unit: between setups over seeds (`MethodTest`), the removal
/// experiment (`RemovalTest`) and the link of SSLMem with downstream accuracy (`AccuracyLink`). Each family is
/// Holm-adjusted on its own (`Findings.holm`), verdicts as in `Findings`: supported when the adjusted p < 0.05
/// (and, for removal, the exact sign-flip p < 0.05 too); a null result is named as one; a test that cannot reach
/// p < 0.05 at the study's size (2⁻ⁿ for the sign-flip test, 2/k! for τ-b over k setups) is inconclusive, saying so.
///
/// The report's one significance language (as `Findings.run`): each sentence states the claim as the
/// alternative hypothesis, "H₁: … — supported / not supported / inconclusive", then the effect, the Holm p that
/// decides it and the test's own p named "unadjusted p" (a single test, the accuracy link, says it is not
/// adjusted), and the number of seeds; where the exact test's floor is at or above 0.05 (3 seeds: 2⁻³ = 0.125)
/// the sentence says that it can never reach 0.05. No sentence says "significant".
extension Findings {
    /// Per pair of setups and statistic: "A and B memorize to different degrees, across seeds" (Welch over
    /// seeds, two-sided), one Holm family per statistic.
    public static func seeds(_ tests: [MethodTest]) -> [RunSummary.Finding] {
        let adjusted = seedsAdjusted(tests)
        return MethodTest.Statistic.allCases.flatMap { statistic in
            tests.indices.filter { tests[$0].statistic == statistic }.map {
                methodFinding(tests[$0], pAdjusted: adjusted[$0])
            }
        }
    }

    /// The Holm-adjusted p of each test, in the order of `tests` (one family per statistic; NaN where a test
    /// cannot be computed): the "Holm p" of the tables over seeds.
    public static func seedsAdjusted(_ tests: [MethodTest]) -> [Double] {
        var out = [Double](repeating: .nan, count: tests.count)
        for statistic in MethodTest.Statistic.allCases {
            let family = tests.indices.filter { tests[$0].statistic == statistic }
            for (i, p) in zip(family, holm(family.map { tests[$0].notComputable == nil ? tests[$0].p : .nan })) {
                out[i] = p
            }
        }
        return out
    }

    /// "3 seeds" or "3 + 2 seeds".
    static func seedCount(_ a: Int, _ b: Int? = nil) -> String {
        let total = a + (b ?? 0)
        return (b.map { "\(a) + \($0)" } ?? "\(a)") + " seed" + (total == 1 ? "" : "s")
    }

    static func methodFinding(_ test: MethodTest, pAdjusted p: Double) -> RunSummary.Finding {
        let statistic = test.statistic.description
        let claim = "\(test.a) and \(test.b) differ in \(statistic), across seeds"
        let name = "Welch two-sample t over seeds, two-sided"
        let counts = seedCount(test.nA, test.nB)
        let few =
            min(test.nA, test.nB) < 3
            ? " With \(counts) the test has very few degrees of freedom and little power." : ""
        guard test.notComputable == nil else {
            return .init(
                claim: claim, verdict: "inconclusive", test: name, p: .nan, pAdjusted: .nan, effect: .nan,
                ci95: [.nan, .nan],
                sentence: "H₁: \(claim) — inconclusive: not testable with \(counts) "
                    + "(\(test.notComputable!)).")
        }
        let difference = test.meanA - test.meanB
        let numbers =
            "means \(NumberFormat.fixed(test.meanA)) vs \(NumberFormat.fixed(test.meanB)), "
            + "difference \(NumberFormat.fixed(difference)) [\(NumberFormat.fixed(test.ci95[0])), "
            + "\(NumberFormat.fixed(test.ci95[1]))], t = \(NumberFormat.fixed(test.t, 2)), "
            + "df = \(NumberFormat.degreesOfFreedom(test.df)); " + pValues(holm: p, unadjusted: test.p) + "; \(counts)"
        if p < alpha {
            let more = difference > 0 ? test.a : test.b
            return .init(
                claim: claim, verdict: "supported", test: name, p: test.p, pAdjusted: p, effect: difference,
                ci95: test.ci95,
                sentence: "H₁: \(claim) — supported: \(more) has the higher \(statistic) "
                    + "(\(numbers))." + few)
        }
        return .init(
            claim: claim, verdict: "not supported", test: name, p: test.p, pAdjusted: p, effect: difference,
            ci95: test.ci95,
            sentence: "H₁: \(claim) — not supported (\(numbers)): a null result at \(counts), "
                + "no difference that survives retraining with other seeds was detected (which is not proof "
                + "of none)." + few)
    }

    /// Per dataset and size: "removing the N most memorized points lowers downstream accuracy more than removing N
    /// random points" (paired t over seeds, one-sided less, with the sign-flip p), and for the coreset "a coreset
    /// of the N most memorized points keeps accuracy higher than a random one" (greater); one Holm family each.
    public static func removal(_ tests: [RemovalTest]) -> [RunSummary.Finding] {
        let adjusted = removalAdjusted(tests)
        return ["removal", "coreset"].flatMap { kind in
            tests.indices.filter { tests[$0].kind == kind }.map { removalFinding(tests[$0], pAdjusted: adjusted[$0]) }
        }
    }

    /// The Holm-adjusted paired-t p of each test, in the order of `tests` (one family per kind, removal and
    /// coreset; NaN where a test cannot be computed).
    public static func removalAdjusted(_ tests: [RemovalTest]) -> [Double] {
        var out = [Double](repeating: .nan, count: tests.count)
        for kind in ["removal", "coreset"] {
            let family = tests.indices.filter { tests[$0].kind == kind }
            for (i, p) in zip(family, holm(family.map { tests[$0].notComputable == nil ? tests[$0].p : .nan })) {
                out[i] = p
            }
        }
        return out
    }

    /// "With 3 seeds the exact sign-flip p cannot go below 0.125 (2⁻³), so it can never reach 0.05", or nil
    /// when the floor is below 0.05.
    public static func signFlipFloor(_ test: RemovalTest) -> String? {
        guard test.nSeeds >= 1, test.smallestPermutationP >= alpha else { return nil }
        return "with \(seedCount(test.nSeeds)) the exact sign-flip test cannot go below p = "
            + "\(NumberFormat.pValue(test.smallestPermutationP)) (2⁻\(superscript(test.nSeeds))), so it can never reach 0.05"
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(n).map { digits[Int(String($0))!] })
    }

    static func removalFinding(_ test: RemovalTest, pAdjusted p: Double) -> RunSummary.Finding {
        let removal = test.kind == "removal"
        let size = "\(test.removed)"
        let claim =
            removal
            ? "removing the \(size) most memorized points lowers \(test.dataset) accuracy more than removing \(size) random points"
            : "a coreset of the \(size) most memorized points keeps \(test.dataset) accuracy higher than a random coreset"
        let name = "paired t over seeds, one-sided (\(test.alternative)); exact sign-flip permutation p beside it"
        let seeds = seedCount(test.nSeeds)
        guard test.notComputable == nil else {
            return .init(
                claim: claim, verdict: "inconclusive", test: name, p: .nan, pAdjusted: .nan, effect: .nan,
                ci95: [.nan, .nan],
                sentence: "H₁: \(claim) — inconclusive: not testable with \(test.nSeeds) "
                    + "paired seed\(test.nSeeds == 1 ? "" : "s") (\(test.notComputable!)).")
        }
        let difference = test.meanTop - test.meanRandom
        let (top, random) = removal ? ("top", "random") : ("coreset-top", "coreset-random")
        let numbers =
            "mean accuracy \(top) \(NumberFormat.fixed(test.meanTop)) vs \(random) "
            + "\(NumberFormat.fixed(test.meanRandom)), difference \(NumberFormat.fixed(difference)), "
            + "t = \(NumberFormat.fixed(test.t, 2)), df = \(NumberFormat.degreesOfFreedom(test.df)); "
            + pValues(holm: p, unadjusted: test.p) + " (paired t); exact sign-flip p = "
            + (test.pPermutation.isNaN ? "not enumerated" : NumberFormat.pValue(test.pPermutation)) + "; \(seeds)"
        let floor = signFlipFloor(test)
        let expected = removal ? difference < 0 : difference > 0
        // The other way only when the whole 95% interval is on the other side of 0 (as `Findings.run`).
        let interval = pairedInterval(test)
        let opposite = removal ? interval[0] > 0 : interval[1] < 0
        let verdict: String
        let sentence: String
        if p < alpha, test.pPermutation.isNaN {
            verdict = "supported"
            sentence =
                "H₁: \(claim) — supported (\(numbers); the exact sign-flip test is not enumerated beyond "
                + "\(PairedTest.maximumSignFlipCount) seeds)."
        } else if p < alpha, test.pPermutation < alpha {
            verdict = "supported"
            sentence = "H₁: \(claim) — supported (\(numbers))."
        } else if p < alpha, let floor {
            verdict = "inconclusive"
            sentence =
                "H₁: \(claim) — inconclusive: the paired t-test alone supports it (\(numbers)), but \(floor); "
                + "the result rests on the differences being near-normal, and at least 5 seeds could confirm it "
                + "without that assumption."
        } else if p < alpha {
            verdict = "inconclusive"
            sentence =
                "H₁: \(claim) — inconclusive: the paired t-test supports it but the exact sign-flip test does "
                + "not (\(numbers)), so the result rests on the differences being near-normal."
        } else if !expected && opposite {
            verdict = "not supported"
            sentence =
                "H₁: \(claim) — not supported: the difference goes the other way, "
                + (removal
                    ? "the encoders retrained without the \(size) most memorized points reached a higher mean "
                        + "accuracy than those without \(size) random points"
                    : "the coreset of the \(size) most memorized points reached a lower mean accuracy than the random "
                        + "coreset")
                + " (\(numbers))" + (floor.map { "; " + $0 } ?? "") + "."
        } else {
            verdict = "not supported"
            sentence =
                "H₁: \(claim) — not supported (\(numbers)): a null result at \(seeds), no detectable "
                + "difference (which is not proof of none"
                + (expected
                    ? ""
                    : "; the mean difference points the other way, "
                        + "within its interval") + ")" + (floor.map { "; " + $0 } ?? "") + "."
        }
        return .init(
            claim: claim, verdict: verdict, test: name, p: test.p, pAdjusted: p, effect: difference,
            ci95: interval, sentence: sentence)
    }

    /// The two-sided 95% interval of mean(top − random) from t, df and the difference: difference ± t₀.₉₇₅,ν·|difference/t|.
    static func pairedInterval(_ test: RemovalTest) -> [Double] {
        let difference = test.meanTop - test.meanRandom
        guard test.t.isFinite, test.t != 0, test.df >= 1 else { return [.nan, .nan] }
        let half = Distributions.studentQuantile(0.975, df: test.df) * abs(difference / test.t)
        return [difference - half, difference + half]
    }

    /// "SSLMem and downstream accuracy rank the setups alike" (Kendall's τ-b over setups, two-sided). One test,
    /// so not adjusted: its p decides, named so.
    public static func accuracyLink(_ link: AccuracyLink) -> RunSummary.Finding {
        let claim = "setups that memorize more reach a higher downstream accuracy"
        let name = "Kendall's τ-b over setups, two-sided; 95% bootstrap interval over seeds"
        guard link.notComputable == nil, link.nSetups >= 2 else {
            return .init(
                claim: claim, verdict: "inconclusive", test: name, p: .nan, pAdjusted: .nan, effect: .nan,
                ci95: [.nan, .nan],
                sentence: "H₁: \(claim) — inconclusive: not testable ("
                    + (link.notComputable ?? "needs at least 2 setups") + ").")
        }
        let numbers =
            "τ-b = \(NumberFormat.fixed(link.tau, 2)) [\(NumberFormat.fixed(link.ci95[0], 2)), "
            + "\(NumberFormat.fixed(link.ci95[1], 2))] over \(link.nSetups) setups (\(link.nRuns) runs); "
            + "p = \(NumberFormat.pValue(link.p)) (a single test, not adjusted)"
        let verdict: String
        let sentence: String
        if link.p < alpha, link.tau > 0 {
            verdict = "supported"
            sentence = "H₁: \(claim) — supported (\(numbers))."
        } else if link.p < alpha {
            verdict = "not supported"
            sentence =
                "H₁: \(claim) — not supported: the association goes the other way, setups that memorize more "
                + "reach a lower downstream accuracy (\(numbers))."
        } else if link.smallestP >= alpha {
            verdict = "inconclusive"
            sentence =
                "H₁: \(claim) — inconclusive: with \(link.nSetups) setups Kendall's exact test cannot go below "
                + "p = \(NumberFormat.pValue(link.smallestP)), so it can never reach 0.05 and the ranking of setups by "
                + "memorization and by accuracy is descriptive only (\(numbers)); more setups are needed to test the link."
        } else {
            verdict = "not supported"
            sentence =
                "H₁: \(claim) — not supported (\(numbers)): a null result, no detectable association (which "
                + "does not show that memorization and accuracy are unrelated)."
        }
        return .init(
            claim: claim, verdict: verdict, test: name, p: link.p, pAdjusted: link.p, effect: link.tau,
            ci95: link.ci95, sentence: sentence)
    }
}

extension Caveats {
    /// Across setups: with seeds, each setup with fewer than 3 (the paper's count, and the fewest that give a
    /// seed-level test some power); without (every setup one run), that comparisons between runs rest on the
    /// within-run per-point test only.
    public static func seeds(_ groups: [RunGroup]) -> [String] {
        guard groups.count >= 2 else { return [] }
        if groups.allSatisfy({ $0.runs.count == 1 }) {
            return [
                "Each setup has one run: the tests between runs use the points of each run (within-run, not across "
                    + "training randomness), so their p-values shrink with the number of points and say nothing about "
                    + "whether a difference would survive retraining. Give several seeds per setup (the same --names "
                    + "label for scores files) to test across seeds."
            ]
        }
        return groups.filter { $0.runs.count < 3 }.map { group in
            "Setup \(group.key) has \(group.runs.count) seed\(group.runs.count == 1 ? "" : "s") (the paper uses 3): "
                + (group.runs.count == 1
                    ? "its seed-level tests cannot be computed"
                    : "its seed-level tests have very few degrees of freedom and little power")
                + "; treat differences involving it as tentative."
        }
    }

    /// The removal experiment: sizes with fewer than 3 paired seeds, and seeds with only one of the two kinds.
    public static func removal(_ tests: [RemovalTest]) -> [String] {
        tests.compactMap { test in
            var parts: [String] = []
            if test.nSeeds < 3 {
                parts.append(
                    "only \(test.nSeeds) paired seed\(test.nSeeds == 1 ? "" : "s"), too few for a test over seeds")
            }
            if !test.unpairedSeeds.isEmpty {
                parts.append(
                    "seed\(test.unpairedSeeds.count == 1 ? "" : "s") " + test.unpairedSeeds.joined(separator: ", ")
                        + " ha\(test.unpairedSeeds.count == 1 ? "s" : "ve") only one of the two kinds and "
                        + "\(test.unpairedSeeds.count == 1 ? "is" : "are") left out")
            }
            guard !parts.isEmpty else { return nil }
            return "Removal results (\(test.kind), \(test.dataset), \(test.removed) points): "
                + parts.joined(separator: "; ") + "."
        }
    }
}
