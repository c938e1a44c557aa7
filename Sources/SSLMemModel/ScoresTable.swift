/// Per-point scores as written to and read from scores files: one row per
/// point in ascending index order, columns
/// `index,subset,label,align_f,align_g,diff,score` (docs/layout.md).
public struct ScoresTable: Sendable, Equatable {
    public var index: [Int64]
    public var subset: [Subset]
    /// -1 where unknown.
    public var label: [Int64]
    public var alignF: [Double]
    public var alignG: [Double]
    public var diff: [Double]
    public var score: [Double]
    /// How the scores were made (options, input files), kept as attributes in HDF5.
    public var provenance: [(String, HDF5AttributeValue)]
    /// Which columns the source held: all of them for a file sslmem wrote; a
    /// per-point score from another tool may have only index and score.
    public var known: KnownColumns = .all

    public static let columns = ["index", "subset", "label", "align_f", "align_g", "diff", "score"]

    public init(
        index: [Int64], subset: [Subset], label: [Int64], alignF: [Double], alignG: [Double], diff: [Double],
        score: [Double], provenance: [(String, HDF5AttributeValue)] = []
    ) {
        self.index = index
        self.subset = subset
        self.label = label
        self.alignF = alignF
        self.alignG = alignG
        self.diff = diff
        self.score = score
        self.provenance = provenance
    }

    public var count: Int { index.count }

    /// Scores of the points in `subset`.
    /// None when the table does not know the subsets (`known`).
    public func scores(of subset: Subset) -> [Double] {
        guard known.contains(.subset) else { return [] }
        return zip(self.subset, score).filter { $0.0 == subset }.map(\.1)
    }

    public static func == (a: ScoresTable, b: ScoresTable) -> Bool {
        a.index == b.index && a.subset == b.subset && a.label == b.label && a.alignF.elementsEqualOrBothNaN(b.alignF)
            && a.alignG.elementsEqualOrBothNaN(b.alignG) && a.diff.elementsEqualOrBothNaN(b.diff) && a.score == b.score
            && a.known == b.known
    }
}

extension [Double] {
    /// Equal element by element, NaN equal to NaN (the unknown alignments of a per-point file).
    func elementsEqualOrBothNaN(_ other: [Double]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
}
