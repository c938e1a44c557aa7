import Foundation
import SSLMemIO
import SSLMemStats

/// Caveats computed from the numbers, added to a report's "warnings" beside the f/g attribute
/// differences (`DumpAgreement`), each saying what it means for the conclusions.
public enum Caveats {
    /// Below this many points a subset's t-tests lean on the normality of its scores.
    public static let smallSubset = 10

    /// One run: a paper test that cannot be computed, a subset too small for the tests it feeds, and
    /// operating points of the audit that n non-members cannot measure.
    public static func run(_ table: ScoresTable, tests: [SubsetTest], audit: MembershipAudit?) -> [String] {
        var caveats: [String] = []
        for test in tests {
            if let reason = test.result.notComputable {
                caveats.append("The test \(test.hypothesis) cannot be computed (\(reason)): the findings that rest on "
                               + "it are inconclusive.")
            }
        }
        for subset in Subset.allCases {
            let n = table.scores(of: subset).count
            let uses = tests.filter { $0.a == subset || $0.b == subset }.map(\.hypothesis)
            guard n >= 2, n < smallSubset, !uses.isEmpty else { continue }
            caveats.append("Subset \(subset) has only \(n) points, too few for the t-tests it feeds ("
                           + uses.joined(separator: ", ") + ") to rest on the central limit theorem: their p-values "
                           + "hold only if its scores are near-normal; treat the findings on it as tentative.")
        }
        if let audit, let signal = audit.signals.first {
            let n = signal.nonMembers.count
            let unmeasurable = MembershipAudit.falsePositiveRates.filter { !signal.isMeasurable(atFalsePositiveRate: $0) }
            if !unmeasurable.isEmpty {
                caveats.append("With \(n) non-members (extra points) the audit's false positive rate moves in steps of "
                               + "1/\(n) = " + String(format: "%.2g", 1 / Double(n)) + ", so the TPR at "
                               + unmeasurable.map { String(format: "%g%%", 100 * $0) }.joined(separator: " and ")
                               + " FPR is not measurable and is not shown; low-FPR claims need more non-members.")
            }
        }
        return caveats
    }

    /// Across runs: top-X overlaps no larger than random rankings would give (one-sided hypergeometric
    /// p ≥ 0.05, `TopOverlap.chancePValue`).
    public static func comparison(_ comparison: RunComparison) -> [String] {
        comparison.pairs.flatMap { pair in
            pair.top.filter { $0.chancePValue >= 0.05 }.map { t in
                "The top-\(t.x) overlap of \(comparison.names[pair.a]) and \(comparison.names[pair.b]) ("
                    + String(format: "%.1f%%", 100 * t.overlap) + ") is not above chance ("
                    + String(format: "%.1f%%", 100 * t.expectedOverlap) + " expected from random rankings of \(t.n), "
                    + "p = " + String(format: "%.2g", t.chancePValue) + "): at X = \(t.x) the two runs do not agree on "
                    + "which candidates are memorized more than chance would."
            }
        }
    }
}
