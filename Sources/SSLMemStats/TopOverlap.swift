/// Agreement of two rankings at the top (paper, Table 12): for two score
/// vectors over the same points, the share of the X highest-scored points
/// they have in common, and Kendall's τ-b of the two scores over the union of
/// both top-X sets. Ties at the cut go to the lower position (earlier point).
public struct TopOverlap: Sendable, Equatable {
    public var x: Int
    /// |topₓ(a) ∩ topₓ(b)| / X.
    public var overlap: Double
    /// τ-b of a and b over topₓ(a) ∪ topₓ(b).
    public var kendall: KendallResult

    public init(_ a: [Double], _ b: [Double], top x: Int) {
        precondition(a.count == b.count && x >= 1 && x <= a.count, "top X must be within 1…n")
        let topA = Self.top(a, x), topB = Self.top(b, x)
        self.x = x
        overlap = Double(topA.intersection(topB).count) / Double(x)
        let union = topA.union(topB).sorted()
        kendall = KendallTau.tauB(union.map { a[$0] }, union.map { b[$0] })
    }

    static func top(_ scores: [Double], _ x: Int) -> Set<Int> {
        Set(scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(x))
    }
}
