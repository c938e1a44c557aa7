import Foundation
import SSLMemIO
import SSLMemStats
import SSLMemSupport

/// Findings and caveats with the seed as the unit: between setups over seeds (`MethodTest`), the removal
/// experiment (`RemovalTest`) and the link of SSLMem with downstream accuracy (`AccuracyLink`). Each family is
/// Holm-adjusted on its own (`Findings.holm`), verdicts as in `Findings`: supported when the adjusted p < 0.05
/// (and, for removal, the exact sign-flip p < 0.05 too); a null result is named as one; a test that cannot reach
/// p < 0.05 at the study's size (2⁻ⁿ for the sign-flip test, 2/k! for τ-b over k setups) is inconclusive, saying so.
extension Findings {
    /// Per pair of setups and statistic: "A and B memorize to different degrees, across seeds" (Welch over
    /// seeds, two-sided), one Holm family per statistic.
    public static func seeds(_ tests: [MethodTest]) -> [RunSummary.Finding] {
        MethodTest.Statistic.allCases.flatMap { statistic -> [RunSummary.Finding] in
            let family = tests.filter { $0.statistic == statistic }
            let adjusted = holm(family.map { $0.notComputable == nil ? $0.p : .nan })
            return zip(family, adjusted).map { test, p in
                let claim = "\(test.a) and \(test.b) differ in \(statistic.description), across seeds"
                let name = "Welch two-sample t over seeds, two-sided"
                let counts = "\(test.nA) + \(test.nB) seeds"
                guard test.notComputable == nil else {
                    return .init(claim: claim, verdict: "inconclusive", test: name, p: .nan, pAdjusted: .nan, effect: .nan,
                                 ci95: [.nan, .nan], sentence: "Cannot compare \(test.a) and \(test.b) across seeds "
                                    + "(\(counts)): \(test.notComputable!).")
                }
                let difference = test.meanA - test.meanB
                let numbers = "means \(NumberFormat.fixed(test.meanA)) vs \(NumberFormat.fixed(test.meanB)), "
                    + "difference \(NumberFormat.fixed(difference)) [\(NumberFormat.fixed(test.ci95[0])), "
                    + "\(NumberFormat.fixed(test.ci95[1]))], t = \(NumberFormat.fixed(test.t, 2)), "
                    + "df = \(NumberFormat.degreesOfFreedom(test.df)), Holm-adjusted p = \(NumberFormat.pValue(p)), "
                    + counts
                if p < alpha {
                    let more = difference > 0 ? test.a : test.b, less = difference > 0 ? test.b : test.a
                    return .init(claim: claim, verdict: "supported", test: name, p: test.p, pAdjusted: p, effect: difference,
                                 ci95: test.ci95, sentence: "\(more) has a higher \(statistic.description) than \(less) "
                                    + "across seeds (\(numbers)).")
                }
                return .init(claim: claim, verdict: "not supported", test: name, p: test.p, pAdjusted: p, effect: difference,
                             ci95: test.ci95, sentence: "No difference in \(statistic.description) between \(test.a) and "
                                + "\(test.b) that survives retraining with other seeds (\(numbers)): a null result.")
            }
        }
    }

    /// Per dataset and size: "removing the N most memorized points lowers downstream accuracy more than removing N
    /// random points" (paired t over seeds, one-sided less, with the sign-flip p), and for the coreset "a coreset
    /// of the N most memorized points keeps accuracy higher than a random one" (greater); one Holm family each.
    public static func removal(_ tests: [RemovalTest]) -> [RunSummary.Finding] {
        ["removal", "coreset"].flatMap { kind -> [RunSummary.Finding] in
            let family = tests.filter { $0.kind == kind }
            let adjusted = holm(family.map { $0.notComputable == nil ? $0.p : .nan })
            return zip(family, adjusted).map { test, p in removalFinding(test, pAdjusted: p) }
        }
    }

    static func removalFinding(_ test: RemovalTest, pAdjusted p: Double) -> RunSummary.Finding {
        let removal = test.kind == "removal"
        let size = "\(test.removed)"
        let claim = removal
            ? "removing the \(size) most memorized points lowers \(test.dataset) accuracy more than removing \(size) random points"
            : "a coreset of the \(size) most memorized points keeps \(test.dataset) accuracy higher than a random coreset"
        let name = "paired t over seeds, one-sided (\(test.alternative)); exact sign-flip permutation p beside it"
        guard test.notComputable == nil else {
            return .init(claim: claim, verdict: "inconclusive", test: name, p: .nan, pAdjusted: .nan, effect: .nan,
                         ci95: [.nan, .nan], sentence: "Cannot tell whether \(claim) (\(test.nSeeds) paired seeds): "
                            + "\(test.notComputable!).")
        }
        let difference = test.meanTop - test.meanRandom
        let (top, random) = removal ? ("top", "random") : ("coreset-top", "coreset-random")
        let numbers = "mean accuracy \(top) \(NumberFormat.fixed(test.meanTop)) vs \(random) "
            + "\(NumberFormat.fixed(test.meanRandom)), difference \(NumberFormat.fixed(difference)), "
            + "t = \(NumberFormat.fixed(test.t, 2)), df = \(NumberFormat.degreesOfFreedom(test.df)), "
            + "Holm-adjusted p = \(NumberFormat.pValue(p)), sign-flip p = \(NumberFormat.pValue(test.pPermutation)), "
            + "\(test.nSeeds) seeds"
        let expected = removal ? difference < 0 : difference > 0
        let verdict: String, sentence: String
        if p < alpha, test.pPermutation.isNaN {
            verdict = "supported"
            sentence = "\(claim.capitalizedFirst) (\(numbers); the exact sign-flip test is not enumerated beyond "
                + "\(PairedTest.maximumSignFlipCount) seeds)."
        } else if p < alpha, test.pPermutation < alpha {
            verdict = "supported"
            sentence = "\(claim.capitalizedFirst) (\(numbers))."
        } else if p < alpha, test.smallestPermutationP >= alpha {
            verdict = "inconclusive"
            sentence = "The paired t-test supports that \(claim) (\(numbers)), but with \(test.nSeeds) seeds the exact "
                + "sign-flip test cannot go below p = \(NumberFormat.pValue(test.smallestPermutationP)), so the result "
                + "rests on the differences being near-normal; at least 5 seeds could confirm it without that assumption."
        } else if p < alpha {
            verdict = "inconclusive"
            sentence = "The paired t-test supports that \(claim), but the exact sign-flip test does not (\(numbers)): "
                + "the result rests on the differences being near-normal."
        } else if !expected {
            verdict = "not supported"
            sentence = removal
                ? "Not supported: on average the encoders retrained without the \(size) most memorized points reached a "
                    + "higher accuracy than those without \(size) random points (\(numbers))."
                : "Not supported: on average the coreset of the \(size) most memorized points reached a lower accuracy "
                    + "than the random coreset (\(numbers))."
        } else {
            verdict = "not supported"
            sentence = "No evidence that \(claim) (\(numbers)): a null result at \(test.nSeeds) seeds."
        }
        return .init(claim: claim, verdict: verdict, test: name, p: test.p, pAdjusted: p, effect: difference,
                     ci95: pairedInterval(test), sentence: sentence)
    }

    /// The two-sided 95% interval of mean(top − random) from t, df and the difference: difference ± t₀.₉₇₅,ν·|difference/t|.
    static func pairedInterval(_ test: RemovalTest) -> [Double] {
        let difference = test.meanTop - test.meanRandom
        guard test.t.isFinite, test.t != 0, test.df >= 1 else { return [.nan, .nan] }
        let half = Distributions.studentQuantile(0.975, df: test.df) * abs(difference / test.t)
        return [difference - half, difference + half]
    }

    /// "SSLMem and downstream accuracy rank the setups alike" (Kendall's τ-b over setups, two-sided).
    public static func accuracyLink(_ link: AccuracyLink) -> RunSummary.Finding {
        let claim = "setups that memorize more reach a higher downstream accuracy"
        let name = "Kendall's τ-b over setups, two-sided; 95% bootstrap interval over seeds"
        guard link.notComputable == nil, link.nSetups >= 2 else {
            return .init(claim: claim, verdict: "inconclusive", test: name, p: .nan, pAdjusted: .nan, effect: .nan,
                         ci95: [.nan, .nan], sentence: "Cannot relate memorization to downstream accuracy across setups: "
                            + (link.notComputable ?? "needs at least 2 setups") + ".")
        }
        let numbers = "τ-b = \(NumberFormat.fixed(link.tau, 2)) [\(NumberFormat.fixed(link.ci95[0], 2)), "
            + "\(NumberFormat.fixed(link.ci95[1], 2))] over \(link.nSetups) setups (\(link.nRuns) runs), "
            + "p = \(NumberFormat.pValue(link.p))"
        let verdict: String, sentence: String
        if link.p < alpha, link.tau > 0 {
            verdict = "supported"
            sentence = "Setups that memorize more reach a higher downstream accuracy (\(numbers))."
        } else if link.p < alpha {
            verdict = "not supported"
            sentence = "Setups that memorize more reach a lower downstream accuracy (\(numbers))."
        } else if link.smallestP >= alpha {
            verdict = "inconclusive"
            sentence = "With \(link.nSetups) setups Kendall's test cannot go below p = \(NumberFormat.pValue(link.smallestP)), "
                + "so the ranking of setups by memorization and by accuracy is descriptive only (\(numbers)); more "
                + "setups are needed to test the link."
        } else {
            verdict = "not supported"
            sentence = "No evidence that setups that memorize more reach a higher downstream accuracy (\(numbers)): a null result."
        }
        return .init(claim: claim, verdict: verdict, test: name, p: link.p, pAdjusted: link.p, effect: link.tau,
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
            return ["Each setup has one run: the tests between runs use the points of each run (within-run, not across "
                    + "training randomness), so their p-values shrink with the number of points and say nothing about "
                    + "whether a difference would survive retraining. Give several seeds per setup (the same --names "
                    + "label for scores files) to test across seeds."]
        }
        return groups.filter { $0.runs.count < 3 }.map { group in
            "Setup \(group.key) has \(group.runs.count) seed\(group.runs.count == 1 ? "" : "s") (the paper uses 3): "
                + (group.runs.count == 1 ? "its seed-level tests cannot be computed"
                   : "its seed-level tests have very few degrees of freedom and little power")
                + "; treat differences involving it as tentative."
        }
    }

    /// The removal experiment: sizes with fewer than 3 paired seeds, and seeds with only one of the two kinds.
    public static func removal(_ tests: [RemovalTest]) -> [String] {
        tests.compactMap { test in
            var parts: [String] = []
            if test.nSeeds < 3 {
                parts.append("only \(test.nSeeds) paired seed\(test.nSeeds == 1 ? "" : "s"), too few for a test over seeds")
            }
            if !test.unpairedSeeds.isEmpty {
                parts.append("seed\(test.unpairedSeeds.count == 1 ? "" : "s") " + test.unpairedSeeds.joined(separator: ", ")
                             + " ha\(test.unpairedSeeds.count == 1 ? "s" : "ve") only one of the two kinds and "
                             + "\(test.unpairedSeeds.count == 1 ? "is" : "are") left out")
            }
            guard !parts.isEmpty else { return nil }
            return "Removal results (\(test.kind), \(test.dataset), \(test.removed) points): " + parts.joined(separator: "; ") + "."
        }
    }
}
