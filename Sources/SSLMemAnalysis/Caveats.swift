import Foundation
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

/// Caveats computed from the numbers, added to a report's "warnings" beside the f/g attribute
/// differences (`DumpAgreement`), each saying what it means for the conclusions.
public enum Caveats {
    /// Below this many points a subset's t-tests lean on the normality of its scores.
    public static let smallSubset = 10

    /// The f/g dumps' attribute differences (`DumpAgreement.warnings`) as caveats: a sentence that starts with a
    /// capital, names files by their names (not paths) and says what the difference undermines.
    public static func dumps(_ warnings: [String]) -> [String] {
        warnings.map { warning in
            let named = warning.replacingOccurrences(
                of: "(/[^ /,:]+)+/([^ /,:]+)", with: "$2",
                options: .regularExpression)
            return named.capitalizedFirst + ". The score credits every difference between f and g to their training "
                + "data; a difference in this attribute is a second explanation, so every finding above is weakened "
                + "until it is removed."
        }
    }

    /// The claims of `Findings.run`, in order.
    static var runClaims: [String] { Findings.runClaims.map(\.claim) + ["shared points score about 0"] }

    /// One run's caveats with the findings each undermines (`RunSummary.Caveat`), in the order a report lists
    /// them: the f/g attribute differences (`DumpAgreement`; they undermine every claim, since SSLMem assumes f
    /// and g differ only in their data), the offsets of shared and extra points (`offsets`), and the caveats of
    /// `run` (a test not computable, a subset too small for the tests it feeds, the audit's FPR steps).
    public static func typed(
        _ table: ScoresTable, tests: [SubsetTest], audit: MembershipAudit?,
        dumpWarnings: [String]
    ) -> [RunSummary.Caveat] {
        var caveats = dumpWarnings.map {
            // SSLMem assumes f and g differ only in their training data: every finding may reflect this too.
            RunSummary.Caveat(id: "f-g-differ", text: $0, undermines: runClaims)
        }
        caveats += offsets(table)
        for text in run(table, tests: tests, audit: audit) {
            let small = Subset.allCases.first { text.hasPrefix("Subset \($0) has only") }
            let undermined =
                small.map { subset in
                    Findings.runClaims.filter { $0.a == subset || $0.b == subset }.map(\.claim)
                        + (subset == .shared ? ["shared points score about 0"] : [])
                } ?? []
            caveats.append(
                RunSummary.Caveat(
                    id: small.map { "small-subset-\($0)" } ?? (text.contains("audit") ? "audit-fpr" : "not-computable"),
                    text: text, undermines: undermined))
        }
        return caveats
    }

    /// Offsets: shared (or extra) points whose mean score differs from 0 (one-sample t, two-sided, p < 0.05).
    /// Shared points were in both encoders' training data and extra points in neither, so a non-zero mean says
    /// f and g differ on points beyond the candidates — a shift of every score. Comparisons between subsets
    /// (candidates vs shared, candidates vs extra) subtract it and stay valid; absolute readings (candidates
    /// > 0, independent < 0, extra > 0, and the candidates' mean as a level of memorization) include it.
    public static func offsets(_ table: ScoresTable) -> [RunSummary.Caveat] {
        [(Subset.shared, "both encoders trained on"), (.extra, "neither encoder saw")].compactMap { subset, what in
            let scores = table.scores(of: subset)
            let test = TTest.oneSample(scores, against: 0, alternative: .twoSided)
            guard test.notComputable == nil, test.pValue < Findings.alpha else { return nil }
            let mean = Descriptive(scores).mean
            return RunSummary.Caveat(
                id: "offset-\(subset)",
                text:
                    "\(subset.description.capitalizedFirst) points, which \(what), score \(NumberFormat.fixed(mean)) on "
                    + "average, not 0 (one-sample t, p = \(NumberFormat.pValue(test.pValue))): f and g differ on points "
                    + "beyond the candidates (g aligns them " + (mean < 0 ? "better" : "worse")
                    + " than f), which shifts "
                    + "every score. Comparisons between subsets (candidates vs shared, candidates vs extra) subtract the "
                    + "shift and stay valid; absolute readings — candidates > 0, independent < 0, extra > 0 (Table 16) "
                    + "and the candidates' mean as a level of memorization — include it.",
                undermines: subset == .shared ? ["shared points score about 0"] : [])
        }
    }

    /// `findings` with each one's `caveats` set to the ids of the caveats that undermine its claim.
    public static func annotate(_ findings: [RunSummary.Finding], with caveats: [RunSummary.Caveat]) -> [RunSummary
        .Finding]
    {
        findings.map { finding in
            var annotated = finding
            var ids: [String] = []
            for caveat in caveats where caveat.undermines.contains(finding.claim) && !ids.contains(caveat.id) {
                ids.append(caveat.id)
            }
            annotated.caveats = ids.isEmpty ? nil : ids
            return annotated
        }
    }

    /// One run: a paper test that cannot be computed, a subset too small for the tests it feeds, and
    /// operating points of the audit that n non-members cannot measure.
    public static func run(_ table: ScoresTable, tests: [SubsetTest], audit: MembershipAudit?) -> [String] {
        var caveats: [String] = []
        for test in tests {
            if let reason = test.result.notComputable {
                caveats.append(
                    "The test \(test.hypothesis) cannot be computed (\(reason)), so the findings that rest on "
                        + "it are inconclusive.")
            }
        }
        for subset in Subset.allCases {
            let n = table.scores(of: subset).count
            let uses = tests.filter { $0.a == subset || $0.b == subset }.map(\.hypothesis)
            guard n >= 2, n < smallSubset, !uses.isEmpty else { continue }
            caveats.append(
                "Subset \(subset) has only \(n) points, too few for the t-tests it feeds ("
                    + uses.joined(separator: ", ") + ") to rest on the central limit theorem: their p-values "
                    + "hold only if its scores are near-normal, so the findings about \(subset) points are "
                    + "tentative.")
        }
        if let audit, let signal = audit.signals.first {
            let n = signal.nonMembers.count
            let unmeasurable = MembershipAudit.falsePositiveRates.filter {
                !signal.isMeasurable(atFalsePositiveRate: $0)
            }
            if !unmeasurable.isEmpty {
                caveats.append(
                    "With \(n) non-members (extra points) the audit's false positive rate moves in steps of "
                        + "1/\(n) = " + NumberFormat.general(1 / Double(n)) + ", so the TPR at "
                        + unmeasurable.map { NumberFormat.general(100 * $0, significant: 3) + "%" }.joined(
                            separator: " and ")
                        + " FPR is not measurable and is not shown: the audit supports no claim at that false "
                        + "positive rate without more non-members.")
            }
        }
        return caveats
    }

    /// Across runs: runs whose f encoders differ in a recorded training attribute (`DumpAgreement.compared`:
    /// method, architecture, dataset, augmentations, epoch), naming the attribute and each run's value. A
    /// comparison attributes a difference between runs to what was meant to vary; any other attribute that
    /// varies is a second explanation. Runs that do not record the attribute are left out of its check.
    public static func runAttributes(_ runs: [RunSource]) -> [String] {
        differingAttributes(runs) + differingConventions(runs) + unequalTraining(runs)
    }

    /// Runs whose scores were computed under different conventions (pairing, distance, normalization and its
    /// scope; `RunSource.convention`), naming each: their scores are on different scales, so means and
    /// intervals are not comparable (rankings, τ and overlaps are, being scale-free within a run).
    public static func differingConventions(_ runs: [RunSource]) -> [String] {
        let known = runs.filter { $0.convention != nil }
        guard let first = known.first, known.contains(where: { $0.convention != first.convention }) else { return [] }
        return [
            "The runs compared were scored under different conventions: "
                + known.map { "\($0.name) with \($0.convention!)" }.joined(separator: "; ")
                + ". Their mean scores and intervals are on different scales and not comparable; Kendall's τ and "
                + "top-X overlaps, which depend only on each run's order, are."
        ]
    }

    /// Runs whose f and g trained for different numbers of epochs (f's and g's `epoch` attributes, where both
    /// are known), naming both numbers. SSLMem assumes f and g differ only in their data; a run that breaks it
    /// mixes the difference in training length into its scores. With `attribute` "epoch" (a sweep over
    /// epochs) the caveat adds that the run is placed at f's epoch.
    public static func unequalTraining(_ runs: [RunSource], attribute: String? = nil) -> [String] {
        runs.compactMap { run in
            guard let f = run.attributes["epoch"], let g = run.gAttributes["epoch"], f != g else { return nil }
            return
                "In run \(run.name), f trained for \(f) epochs and g for \(g): SSLMem assumes f and g differ only in "
                + "their data, so this run's scores mix memorization with the difference in training length"
                + (attribute == "epoch"
                    ? "; the sweep places it at f's epoch (\(f)), not at a fraction of g's training."
                    : "; compare it with runs trained alike only with that in mind.")
        }
    }

    static func differingAttributes(_ runs: [RunSource]) -> [String] {
        DumpAgreement.compared.compactMap { name in
            let recorded = runs.filter { $0.attributes[name] != nil }
            guard let first = recorded.first,
                recorded.contains(where: { $0.attributes[name] != first.attributes[name] })
            else { return nil }
            let values = recorded.map { "\($0.name) has \($0.attributes[name]!)" }
            return "The runs compared differ in \(name): " + values.joined(separator: ", ") + ". Differences in "
                + "memorization between them may come from \(name) as well as from what the comparison means to vary; "
                + "unless \(name) is what is compared, do not read them as the effect of the rest."
        }
    }

    /// Across runs: top-X overlaps no larger than random rankings would give (one-sided hypergeometric
    /// p ≥ 0.05, `TopOverlap.chancePValue`), one caveat per pair of runs listing the sizes X; X = n (every
    /// point, an overlap of 100% by construction) is left out.
    public static func comparison(_ comparison: RunComparison) -> [String] {
        comparison.pairs.compactMap { pair in
            let chance = pair.top.filter { $0.chancePValue >= 0.05 && $0.x < $0.n }
            guard let first = chance.first else { return nil }
            let sizes = chance.map {
                "X = \($0.x): \(NumberFormat.percent($0.overlap)) against "
                    + "\(NumberFormat.percent($0.expectedOverlap)), p = \(NumberFormat.general($0.chancePValue))"
            }
            return "The top-X overlap of \(comparison.names[pair.a]) and \(comparison.names[pair.b]) is not above "
                + "chance (the share random rankings of \(first.n) would have in common) at "
                + sizes.joined(separator: "; ") + ": at these sizes the two runs do not agree on which candidates "
                + "are memorized more than chance would."
        }
    }
}
