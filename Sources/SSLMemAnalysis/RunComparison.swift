import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

/// How consistently several runs (methods, seeds, architectures) memorize the
/// same points: Kendall's τ-b between every pair of runs' scores (paper,
/// Table 13) and the overlap of their top-X most memorized points with τ on
/// them (Table 12). Each pair is joined on the point index, over the points
/// both runs scored (restricted to one subset, candidates by default). A run
/// may be a per-point score from another tool without subsets (e.g. Feldman's
/// memorization, paper Table 12 and Fig. 8): its points' subsets are then
/// those of the first run that has them, over the points both hold.
public struct RunComparison: Sendable {
    public struct Pair: Sendable {
        public var a: Int
        public var b: Int
        public var top: [TopOverlap]
    }

    public var names: [String]
    /// kendall[i][j]: τ-b between runs i and j (the diagonal compares a run with itself).
    public var kendall: [[KendallResult]]
    /// Every pair i < j.
    public var pairs: [Pair]

    public init(_ tables: [ScoresTable], names: [String], subset: Subset? = .candidate, tops: [Int] = []) throws {
        precondition(tables.count == names.count)
        var tables = tables
        if let subset, tables.contains(where: { !$0.known.contains(.subset) }) {
            guard let reference = tables.first(where: { $0.known.contains(.subset) }) else {
                throw SSLMemError(
                    "none of the runs says which points are in subset \(subset); "
                        + "compare them over all points, or give subsets to one of them")
            }
            tables = tables.map { $0.known.contains(.subset) ? $0 : $0.joiningSubsets(from: reference) }
        }
        self.names = names
        var kendall: [[KendallResult]] = []
        var pairs: [Pair] = []
        for i in tables.indices {
            var row: [KendallResult] = []
            for j in tables.indices {
                let (a, b) = Self.joined(tables[i], tables[j], subset: subset)
                row.append(KendallTau.tauB(a, b))
                guard i < j, !tops.isEmpty else { continue }
                if let x = tops.first(where: { $0 > a.count }) {
                    throw SSLMemError(
                        "top \(x) exceeds the \(a.count) points \(names[i]) and \(names[j]) share"
                            + (subset.map { " in subset \($0)" } ?? ""))
                }
                let top = TopOverlap.sizes(a, b, tops: tops)
                pairs.append(Pair(a: i, b: j, top: top))
            }
            kendall.append(row)
        }
        self.kendall = kendall
        self.pairs = pairs
    }

    /// The scores of the points present in both tables (in `subset`), in index order.
    static func joined(_ x: ScoresTable, _ y: ScoresTable, subset: Subset?) -> ([Double], [Double]) {
        var rowOf = [Int64: Int](minimumCapacity: y.count)
        for (row, key) in y.index.enumerated() { rowOf[key] = row }
        var a: [Double] = []
        var b: [Double] = []
        for (row, key) in x.index.enumerated() where subset == nil || x.subset[row] == subset {
            if let other = rowOf[key], subset == nil || y.subset[other] == subset {
                a.append(x.score[row])
                b.append(y.score[other])
            }
        }
        return (a, b)
    }

    /// `sslmem compare --json`: {"runs": [names], "kendall": [[{tau, pvalue, n}]],
    /// "overlap": [{a, b, top: [{x, overlap, tau, pvalue, n, common, expected_common, expected_overlap,
    /// chance_pvalue}]}]}: expected_* under random rankings (X²/n common, X/n share) and chance_pvalue the
    /// hypergeometric P(common ≥ observed) (`TopOverlap`).
    public var json: JSONValue {
        let summary = ComparisonSummary(self)
        // Arrays of numbers, strings and integers only: encoding cannot fail.
        return .object([
            ("runs", .array(names.map { .string($0) })),
            ("kendall", (try? JSONValueEncoder.encode(summary.kendall)) ?? .null),
            ("overlap", (try? JSONValueEncoder.encode(summary.overlap)) ?? .null)
        ])
    }
}
