import Foundation
import SSLMemIO
import SSLMemStats

/// Caveats computed from the numbers, added to a report's "warnings" beside the f/g attribute
/// differences (`DumpAgreement`), each saying what it means for the conclusions.
public enum Caveats {
    /// Below this many points a subset's t-tests lean on the normality of its scores.
    public static let smallSubset = 10

    /// The f/g dumps' attribute differences (`DumpAgreement.warnings`) as caveats: a sentence that starts with a
    /// capital, names files by their names (not paths) and says what the difference undermines.
    public static func dumps(_ warnings: [String]) -> [String] {
        warnings.map { warning in
            let named = warning.replacingOccurrences(of: "(/[^ /,:]+)+/([^ /,:]+)", with: "$2",
                                                     options: .regularExpression)
            return named.capitalizedFirst + ". The score credits every difference between f and g to their training "
                + "data; a difference in this attribute is a second explanation, so every finding above is weakened "
                + "until it is removed."
        }
    }

    /// One run: a paper test that cannot be computed, a subset too small for the tests it feeds, and
    /// operating points of the audit that n non-members cannot measure.
    public static func run(_ table: ScoresTable, tests: [SubsetTest], audit: MembershipAudit?) -> [String] {
        var caveats: [String] = []
        for test in tests {
            if let reason = test.result.notComputable {
                caveats.append("The test \(test.hypothesis) cannot be computed (\(reason)), so the findings that rest on "
                               + "it are inconclusive.")
            }
        }
        for subset in Subset.allCases {
            let n = table.scores(of: subset).count
            let uses = tests.filter { $0.a == subset || $0.b == subset }.map(\.hypothesis)
            guard n >= 2, n < smallSubset, !uses.isEmpty else { continue }
            caveats.append("Subset \(subset) has only \(n) points, too few for the t-tests it feeds ("
                           + uses.joined(separator: ", ") + ") to rest on the central limit theorem: their p-values "
                           + "hold only if its scores are near-normal, so the findings about \(subset) points are "
                           + "tentative.")
        }
        if let audit, let signal = audit.signals.first {
            let n = signal.nonMembers.count
            let unmeasurable = MembershipAudit.falsePositiveRates.filter { !signal.isMeasurable(atFalsePositiveRate: $0) }
            if !unmeasurable.isEmpty {
                caveats.append("With \(n) non-members (extra points) the audit's false positive rate moves in steps of "
                               + "1/\(n) = " + NumberFormat.general(1 / Double(n)) + ", so the TPR at "
                               + unmeasurable.map { NumberFormat.general(100 * $0, significant: 3) + "%" }.joined(separator: " and ")
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
        DumpAgreement.compared.compactMap { name in
            let recorded = runs.filter { $0.attributes[name] != nil }
            guard let first = recorded.first, recorded.contains(where: { $0.attributes[name] != first.attributes[name] })
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
            let sizes = chance.map { "X = \($0.x): \(NumberFormat.percent($0.overlap)) against "
                + "\(NumberFormat.percent($0.expectedOverlap)), p = \(NumberFormat.general($0.chancePValue))" }
            return "The top-X overlap of \(comparison.names[pair.a]) and \(comparison.names[pair.b]) is not above "
                + "chance (the share random rankings of \(first.n) would have in common) at "
                + sizes.joined(separator: "; ") + ": at these sizes the two runs do not agree on which candidates "
                + "are memorized more than chance would."
        }
    }
}
