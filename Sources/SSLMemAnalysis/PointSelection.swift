import SSLMemHDF5
import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

/// Index lists for the backend to retrain without (removal, paper Fig. 3 and
/// Tables 3, 10, 14) or only on (coreset, Table 17) the most memorized points,
/// with seeded random lists of the same sizes as the control.
///
/// - Pool: the candidates (default; the points SSLMem measures) or all points.
/// - Top n: the n points of the pool ranked first, ties by lower index (`Ranking`). Ranked by the score
///   (`SelectionRanking.score`, the default), or as the authors' released remove_samples.py does
///   (`authorsCode`): by A_g(x)/max_P A_g − A_f(x)/max_P A_f, each maximum over the pool P (the points that
///   script scores); it then divides by the maximum of that difference, which does not change the order.
///   The two orders differ because each alignment is scaled by its own maximum before the difference.
/// - Random n: the first n of the pool (in ascending index) after a Fisher–Yates
///   shuffle driven by SplitMix64(seed); the same seed gives the same lists on
///   every machine. Lists are written in ascending index.
public struct PointSelection: Sendable {
    public enum Pool: String, CaseIterable, Sendable {
        case candidate, all
    }

    public let pool: Pool
    public let ranking: Conventions.SelectionRanking
    public let sizes: [Int]
    public let seed: UInt64?
    /// Top-n lists, in `sizes` order.
    public let top: [[Int64]]
    /// Random lists, in `sizes` order (empty without a seed).
    public let random: [[Int64]]

    public init(
        _ table: ScoresTable, sizes: [Int], pool: Pool = .candidate, seed: UInt64? = nil,
        ranking: Conventions.SelectionRanking = Conventions.defaults.ranking
    ) throws {
        if pool == .candidate && !table.known.contains(.subset) {
            throw SSLMemError(
                "the candidate pool needs each point's subset, which these scores lack; select from all points")
        }
        let rows = table.index.indices.filter { pool == .all || table.subset[$0] == .candidate }
        if let size = sizes.first(where: { $0 > rows.count || $0 < 1 }) {
            throw SSLMemError(
                size < 1
                    ? "list size \(size) must be at least 1"
                    : "a list of \(size) points was asked for, the pool (\(pool.rawValue)) has \(rows.count)")
        }
        self.pool = pool
        self.ranking = ranking
        self.sizes = sizes
        self.seed = seed
        let key = try Self.rankingKey(table, rows: rows, ranking: ranking)
        let ranked = Ranking.highestFirst(rows.indices, value: { key[$0] }, key: { table.index[rows[$0]] })
            .map { table.index[rows[$0]] }
        top = sizes.map { Array(ranked.prefix($0)).sorted() }
        if let seed {
            var shuffled = rows.map { table.index[$0] }.sorted()
            var rng = SplitMix64(seed: seed)
            // Fisher–Yates: i = m−1 down to 1, j = next() mod (i + 1); every position can move.
            for i in shuffled.indices.dropFirst().reversed() {
                shuffled.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
            random = sizes.map { Array(shuffled.prefix($0)).sorted() }
        } else {
            random = []
        }
    }

    /// The value each row of `rows` is ranked by (higher first).
    public static func rankingKey(
        _ table: ScoresTable, rows: [Int],
        ranking: Conventions.SelectionRanking
    ) throws -> [Double] {
        switch ranking {
        case .score:
            return rows.map { table.score[$0] }
        case .authorsCode:
            guard table.known.contains(.alignments) else {
                throw SSLMemError(
                    "the authors-code ranking needs each point's align_f and align_g, which these scores "
                        + "lack; rank by score")
            }
            let maxF = rows.map { table.alignF[$0] }.max() ?? .nan
            let maxG = rows.map { table.alignG[$0] }.max() ?? .nan
            guard maxF > 0, maxG > 0 else {
                throw SSLMemError(
                    "the authors-code ranking divides by the largest align_f and align_g of the pool, "
                        + "which are \(maxF) and \(maxG); it needs both above 0")
            }
            return rows.map { table.alignG[$0] / maxG - table.alignF[$0] / maxF }
        }
    }

    /// Writes `top-N.txt` and `random-N.txt` (one index per line) and
    /// `selection.h5` (datasets /top/N and /random/N; attributes pool, seed, sizes, scores).
    /// Into a new or empty folder, or one holding an earlier selection (`OutputGuard`); `force` allows another folder,
    /// where only files sslmem wrote are replaced.
    public func write(to directory: String, scoresFile: String, force: Bool = false) throws {
        try AtomicOutput.writeDirectory(directory, kind: "selection", force: force) { temporary in
            let file = try HDF5File(creating: temporary + "/selection.h5")
            try file.setAttribute("sslmem_format", .strings(["selection"]))
            try file.setAttribute("pool", .strings([pool.rawValue]))
            try file.setAttribute("ranking", .strings([ranking.rawValue]))
            try file.setAttribute("sizes", .integers(sizes.map(Int64.init)))
            try file.setAttribute("scores", .strings([scoresFile]))
            if let seed { try file.setAttribute("seed", .integers([Int64(bitPattern: seed)])) }
            for (kind, lists) in [("top", top), ("random", random)] {
                for (size, list) in zip(sizes, lists) {
                    try AtomicOutput.write(
                        text: list.map(String.init).joined(separator: "\n") + "\n",
                        to: "\(temporary)/\(kind)-\(size).txt")
                    _ = try file.write("/\(kind)/\(size)", list)
                }
            }
        }
    }
}
