import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

/// A run's headline number, "SSLMem of the candidates" (paper Table 1): the mean score of the candidates with
/// its two-sided 95% t-interval, stated with the convention it was computed under — the pairing and the
/// normalization scope change it (on the SimCLR fixture 0.0190 with the range over all points, 0.0219 over the
/// candidates), so a number is comparable with Table 1 only beside its convention.
public struct CandidateHeadline: Codable, Sendable, Equatable {
    public var n: Int
    public var mean: Double
    public var ci95: [Double]
    /// `Conventions.label`, e.g. "paper convention: all pairs, L2, range over the candidates".
    public var convention: String

    /// Nil when the table has no candidates.
    public init?(_ table: ScoresTable, conventions: Conventions) {
        let scores = table.scores(of: .candidate)
        guard !scores.isEmpty else { return nil }
        let d = Descriptive(scores)
        let ci = d.meanInterval()
        n = scores.count
        mean = d.mean
        ci95 = [ci.lower, ci.upper]
        convention = conventions.label
    }

    /// "SSLMem of the candidates: 0.0219 [−0.0001, 0.0439] (n = 200; paper convention: all pairs, L2, range over
    /// the candidates)."
    public var sentence: String {
        "SSLMem of the candidates: \(NumberFormat.fixed(mean))"
            + (n >= 2 ? " [\(NumberFormat.fixed(ci95[0])), \(NumberFormat.fixed(ci95[1]))]" : "")
            + " (n = \(n); \(convention))."
    }
}
