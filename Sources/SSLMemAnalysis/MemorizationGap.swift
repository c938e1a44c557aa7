import SSLMemIO
import SSLMemModel
import SSLMemStats

/// How far the candidates' memorization stands above a reference subset's, in the unnormalized
/// difference of alignment losses diff(x) = A_g(x) − A_f(x) (paper Eq. 1 before the range
/// normalization of Eq. 2): gap = mean diff(S_C) − mean diff(S_R), R = independent or extra.
///
/// Why the gap and not the mean score: the score divides diff by the range of diff over the points of
/// one scoring, and f and g may differ in their overall alignment level (an f–g offset that moves every
/// point's diff alike). Across checkpoints or runs, the candidates' mean score can then fall or rise with
/// the range and the offset while the independent points move just as much. The offset cancels in the
/// gap between subsets of the same scoring, and no per-scoring range enters it, so gaps are comparable
/// across checkpoints and runs (in units of the alignment loss).
///
/// Uncertainty: a two-sided 95% Welch interval of the difference of two means (unequal variances,
/// Welch–Satterthwaite ν; `TTest.twoSample(_:_:variant: .welch)`, the t quantile from GSL), i.e.
/// gap ± t₀.₉₇₅,ν · √(s_C²/n_C + s_R²/n_R), as scipy's
/// `ttest_ind(c, r, equal_var=False).confidence_interval(0.95)`. The points of the two subsets are
/// distinct, so the samples are independent (no pairing).
public struct MemorizationGap: Sendable, Equatable {
    /// The subset the candidates are compared with.
    public var reference: Subset
    /// mean diff(S_C) − mean diff(reference).
    public var gap: Double
    /// Two-sided 95% Welch interval of `gap` (NaN bounds when it cannot be computed).
    public var interval: Interval
    /// Welch–Satterthwaite degrees of freedom.
    public var degreesOfFreedom: Double
    public var candidates: Int
    public var references: Int

    /// The gap of `table`'s candidates over `reference`, or nil when the table does not know its subsets
    /// or its alignments (a per-point score from another tool), or either subset has fewer than two points.
    public init?(_ table: ScoresTable, reference: Subset) {
        guard table.known.contains(.subset), table.known.contains(.alignments) else { return nil }
        let c = zip(table.subset, table.diff).filter { $0.0 == .candidate }.map(\.1)
        let r = zip(table.subset, table.diff).filter { $0.0 == reference }.map(\.1)
        guard c.count >= 2, r.count >= 2, (c + r).allSatisfy(\.isFinite) else { return nil }
        let test = TTest.twoSample(c, r, variant: .welch, alternative: .twoSided)
        self.reference = reference
        gap = Descriptive(c).mean - Descriptive(r).mean
        interval = test.confidenceInterval
        degreesOfFreedom = test.degreesOfFreedom
        candidates = c.count
        references = r.count
    }

    /// The gaps over independent and over extra points that `table` allows, in that order.
    public static func gaps(_ table: ScoresTable) -> [MemorizationGap] {
        [Subset.independent, .extra].compactMap { MemorizationGap(table, reference: $0) }
    }
}
