import SSLMemIO
import SSLMemModel
import SSLMemStats

/// Per-subset description of a scores table (paper, Tables 1–2): the first
/// check of a run — candidates should score above shared and extra points,
/// independent points below them.
public struct SubsetSummary: Sendable {
    public var subset: Subset
    /// n, mean, standard deviation (ddof 1) and t-interval of the score.
    public var score: Descriptive
    public var meanAlignF: Double
    public var meanAlignG: Double

    /// One summary per subset present in `table`, in code order.
    public static func of(_ table: ScoresTable) -> [SubsetSummary] {
        Subset.allCases.compactMap { subset in
            let rows = table.subset.indices.filter { table.subset[$0] == subset }
            guard !rows.isEmpty else { return nil }
            return SubsetSummary(
                subset: subset, score: Descriptive(rows.map { table.score[$0] }),
                meanAlignF: Descriptive(rows.map { table.alignF[$0] }).mean,
                meanAlignG: Descriptive(rows.map { table.alignG[$0] }).mean)
        }
    }
}
