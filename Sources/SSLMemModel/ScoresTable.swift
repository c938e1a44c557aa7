/// Per-point scores as written to and read from scores files: a ``PointTable``
/// that holds every column, `index,subset,label,align_f,align_g,diff,score`
/// (docs/layout.md), or, from another tool, index and score.
public typealias ScoresTable = PointTable

extension PointTable {
    /// The columns of scores.csv, in order.
    public static let columns = ["index", "subset", "label", "align_f", "align_g", "diff", "score"]

    /// Scores of the points in `subset`.
    /// None when the table does not know the subsets (`known`).
    public func scores(of subset: Subset) -> [Double] {
        guard known.contains(.subset) else { return [] }
        return zip(self.subset, score).filter { $0.0 == subset }.map(\.1)
    }
}
