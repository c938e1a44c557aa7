import SSLMemIO

/// Per-subset means of a scores table: what `sslmem score` and `make demo`
/// print, and the first check of a run (paper, Sec. 4: candidates should score
/// above shared and extra points, independent points below them).
public struct SubsetSummary: Sendable {
    public var subset: Subset
    public var count: Int
    public var meanAlignF: Double
    public var meanAlignG: Double
    public var meanScore: Double
    /// Sample standard deviation of the score (ddof 1; NaN when count < 2).
    public var stdScore: Double

    /// One summary per subset present in `table`, in code order.
    public static func of(_ table: ScoresTable) -> [SubsetSummary] {
        Subset.allCases.compactMap { subset in
            let rows = table.subset.indices.filter { table.subset[$0] == subset }
            guard !rows.isEmpty else { return nil }
            let scores = rows.map { table.score[$0] }
            let mean = scores.reduce(0, +) / Double(rows.count)
            let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rows.count - 1)
            return SubsetSummary(
                subset: subset, count: rows.count,
                meanAlignF: rows.reduce(0) { $0 + table.alignF[$1] } / Double(rows.count),
                meanAlignG: rows.reduce(0) { $0 + table.alignG[$1] } / Double(rows.count),
                meanScore: mean, stdScore: rows.count > 1 ? variance.squareRoot() : .nan)
        }
    }
}
