import SSLMemSupport

/// Agreement of two rankings at the top (paper, Table 12): for two score
/// vectors over the same points, the share of the X highest-scored points
/// have in common, and Kendall's τ-b of the two scores over those common
/// points ("τ on them"; not computable below 2 common points). The union
/// would bias τ negative: a point in one top-X only is high in one run and
/// low in the other by selection. Ties at the cut go to the lower position.
///
/// Chance baseline: were the two rankings of the n points independent and random, the common count K
/// of two top-X lists would be hypergeometric (population n, X marked, X drawn), with mean X²/n (a share
/// of X/n: 50% at X = 100 of n = 200 is chance). `chancePValue` is the one-sided P(K ≥ observed).
public struct TopOverlap: Sendable, Equatable {
    public var x: Int
    /// n: the points both rankings cover.
    public var n: Int
    /// |topₓ(a) ∩ topₓ(b)| / X.
    public var overlap: Double
    /// |topₓ(a) ∩ topₓ(b)|.
    public var common: Int
    /// Expected common count under random rankings, X²/n.
    public var expectedCommon: Double { Double(x * x) / Double(n) }
    /// Expected overlap share under random rankings, X/n.
    public var expectedOverlap: Double { Double(x) / Double(n) }
    /// P(K ≥ common) for K ~ Hypergeometric(n, X, X): small when the overlap is above chance.
    public var chancePValue: Double { Hypergeometric.upperTail(common, population: n, marked: x, draws: x) }
    /// τ-b of a and b over topₓ(a) ∩ topₓ(b).
    public var kendall: KendallResult

    public init(_ a: [Double], _ b: [Double], top x: Int) {
        self.init(a, b, top: x, rankedA: Ranking.highestFirst(a), rankedB: Ranking.highestFirst(b))
    }

    /// The overlap at each size in `tops` (each within 1…n), ranking a and b once for all of them.
    public static func sizes(_ a: [Double], _ b: [Double], tops: [Int]) -> [TopOverlap] {
        guard !tops.isEmpty else { return [] }
        let rankedA = Ranking.highestFirst(a)
        let rankedB = Ranking.highestFirst(b)
        return tops.map { TopOverlap(a, b, top: $0, rankedA: rankedA, rankedB: rankedB) }
    }

    /// `rankedA`, `rankedB`: the positions of a and b highest first (`Ranking.highestFirst`).
    private init(_ a: [Double], _ b: [Double], top x: Int, rankedA: [Int], rankedB: [Int]) {
        precondition(a.count == b.count && x >= 1 && x <= a.count, "top X must be within 1…n")
        let topA = Set(rankedA.prefix(x))
        let topB = Set(rankedB.prefix(x))
        self.x = x
        n = a.count
        common = topA.intersection(topB).count
        overlap = Double(common) / Double(x)
        let common = topA.intersection(topB).sorted()
        kendall = KendallTau.tauB(common.map { a[$0] }, common.map { b[$0] })
    }
}
