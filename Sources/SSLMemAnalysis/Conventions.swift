import SSLMemCore
import SSLMemIO
import SSLMemSupport

/// Every convention a number of the toolkit depends on, with one set of defaults that every command (score,
/// layers, select, compare, audit, report) and every report starts from. A report states them in one sentence
/// (`sentence`) and records them in summary.json (`record`, `"conventions"`) and in the scores' provenance.
///
/// - `pairing`, `distance`: the alignment loss a(x) (Wang et al., ICLR 2024, Eq. 1; `AlignmentOptions`).
/// - `normalization`, `rangeOver`: score = (A_g − A_f) / (max − min of A_g − A_f over `rangeOver`) (Eq. 2, App. A;
///   `RangeScope`), or the plain difference.
/// - `ranking`: how `select` ranks points for removal (paper Fig. 3): by the score, or as the released
///   `remove_samples.py` does, by A_g/max A_g − A_f/max A_f over the pool (`SelectionRanking`).
/// - `tieRule`: equal values rank by the lower dataset index (`Ranking`), everywhere.
/// - `topX`: the sizes X of top-X overlaps (paper Table 12; `compare`, the comparison report, layer
///   consistency), those that fit the points compared; `selectionSizes`: `select`'s list sizes (Fig. 3).
/// - `bootstrapResamples`, `bootstrapSeed`, `level`: the percentile bootstrap over points of LayerMem,
///   ΔLayerMem and LayerMem − control (`LayerIntervals`).
///
/// Two presets (`Preset`): `paper`, the default — the paper's equations as written (all pairs of views) with the
/// range over the candidates (App. A, and what the released code and LayerMem do); and `authors-code`, what the
/// released code computes: each view against the un-augmented one (`original`), range over the candidates, and
/// `select` ranking as `remove_samples.py`. They differ only in pairing and selection ranking.
public struct Conventions: Sendable, Equatable {
    public enum Preset: String, CaseIterable, Sendable, Codable {
        /// The paper's equations as written: all pairs of views (Eq. 1), range over the candidates (App. A).
        case paper
        /// The authors' released code: view vs original, range over the candidates, remove_samples.py's ranking.
        case authorsCode = "authors-code"
    }

    /// How `select` ranks the points of its pool.
    public enum SelectionRanking: String, CaseIterable, Sendable, Codable {
        /// By the score (higher first): the same order as diff = A_g − A_f whatever the normalization.
        case score
        /// As the released remove_samples.py: by A_g/max A_g − A_f/max A_f, each max over the pool.
        case authorsCode = "authors-code"
    }

    public var pairing: Pairing
    public var distance: Distance
    public var normalization: Normalization
    public var rangeOver: RangeScope
    public var ranking: SelectionRanking
    public var tieRule: TieRule
    public var topX: [Int]
    public var selectionSizes: [Int]
    public var bootstrapResamples: Int
    public var bootstrapSeed: UInt64
    public var level: Double

    /// The sizes X of top-X overlaps (paper Table 12).
    public static let defaultTopX = [10, 20, 50, 75, 100, 150, 200]
    /// `select`'s list sizes: the paper's removal sizes (Fig. 3, Tables 3, 10, 14; remove_samples.py).
    public static let defaultSelectionSizes = [500, 1000, 2000, 4000, 8000, 16000]
    /// Bootstrap resamples: 10 000 keep the Monte-Carlo error of a 95% percentile bound near 1% of the
    /// interval's width.
    public static let defaultBootstrapResamples = 10_000

    public init(_ preset: Preset = .paper) {
        pairing = preset == .paper ? .allPairs : .original
        distance = .l2
        normalization = .range
        rangeOver = .candidate
        ranking = preset == .paper ? .score : .authorsCode
        tieRule = .lowerIndex
        topX = Self.defaultTopX
        selectionSizes = Self.defaultSelectionSizes
        bootstrapResamples = Self.defaultBootstrapResamples
        bootstrapSeed = 0
        level = 0.95
    }

    /// The defaults: `Conventions(.paper)`.
    public static let defaults = Conventions()

    /// The alignment part (pairing and distance).
    public var alignment: AlignmentOptions { AlignmentOptions(pairing: pairing, distance: distance) }

    /// The preset whose pairing, distance, normalization, range and ranking these are, or nil when one of them
    /// was changed (top-X sizes and the bootstrap are not part of a preset).
    public var preset: Preset? {
        Preset.allCases.first { p in
            let c = Conventions(p)
            return c.pairing == pairing && c.distance == distance && c.normalization == normalization
                && c.rangeOver == rangeOver && c.ranking == ranking
        }
    }

    /// "paper", "authors-code", or "custom".
    public var name: String { preset?.rawValue ?? "custom" }

    /// How the score is scaled, e.g. "range over the candidates", "not normalized".
    public var scoreScale: String {
        normalization == .none
            ? "not normalized"
            : "range over " + (rangeOver == .candidate ? "the candidates" : "all points")
    }

    /// A short label to put beside a number: "paper convention: all pairs, L2, range over the candidates".
    public var label: String {
        "\(name) convention: " + (pairing == .allPairs ? "all pairs" : "view vs original") + ", "
            + (distance == .l2 ? "L2" : "cosine") + ", \(scoreScale)"
    }

    /// The conventions in one sentence, for a report.
    public var sentence: String {
        "Conventions (\(name)): a(x) is the mean "
            + (distance == .l2 ? "L2 distance between unit-normalized" : "cosine distance (1 − cos) between")
            + (pairing == .allPairs
                ? " views over all pairs of views (Eq. 1)" : " views and the un-augmented point (released code)")
            + "; score = A_g − A_f"
            + (normalization == .range
                ? " divided by its range over " + (rangeOver == .candidate ? "the candidates" : "all points")
                : " (not normalized)")
            + "; points are ranked "
            + (ranking == .score ? "by score" : "by A_g/max A_g − A_f/max A_f (remove_samples.py)")
            + ", \(tieRule.sentence); top-X sizes " + topX.map(String.init).joined(separator: ", ")
            + "; \(Int((level * 100).rounded()))% intervals of layer statistics from \(bootstrapResamples) bootstrap "
            + "resamples over points (seed \(bootstrapSeed))."
    }

    /// summary.json's `"conventions"`.
    public var record: RunSummary.Conventions {
        RunSummary.Conventions(
            convention: name, pairing: pairing.rawValue, distance: distance.rawValue, normalize: normalization.rawValue,
            rangeOver: rangeOver.rawValue, ranking: ranking.rawValue, tieRule: tieRule.rawValue, topX: topX,
            selectionSizes: selectionSizes, bootstrapResamples: bootstrapResamples, bootstrapSeed: bootstrapSeed,
            level: level, sentence: sentence)
    }

    /// Rows (option, value) for a report's provenance table.
    public var provenance: [(String, String)] {
        [
            ("convention", name), ("pairing", pairing.rawValue), ("distance", distance.rawValue),
            ("normalize", normalization.rawValue), ("range over", normalization == .range ? rangeOver.rawValue : "—"),
            ("selection ranking", ranking.rawValue), ("ties", tieRule.rawValue),
            ("top-X sizes", topX.map(String.init).joined(separator: ", ")),
            ("bootstrap", "\(bootstrapResamples) resamples, seed \(bootstrapSeed), \(Int((level * 100).rounded()))%")
        ]
    }

    /// The sizes of `topX` that fit `n` points (all of them when none is larger).
    public func topX(fitting n: Int) -> [Int] { topX.filter { $0 <= n } }
}

extension Conventions: Codable {
    enum CodingKeys: String, CodingKey {
        case pairing, distance, normalize
        case rangeOver = "range_over"
        case ranking
        case tieRule = "tie_rule"
        case topX = "top_x"
        case
            selectionSizes = "selection_sizes"
        case bootstrapResamples = "bootstrap_resamples"
        case
            bootstrapSeed = "bootstrap_seed"
        case level
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        pairing = try c.decode(Pairing.self, forKey: .pairing)
        distance = try c.decode(Distance.self, forKey: .distance)
        normalization = try c.decode(Normalization.self, forKey: .normalize)
        rangeOver = try c.decode(RangeScope.self, forKey: .rangeOver)
        ranking = try c.decode(SelectionRanking.self, forKey: .ranking)
        tieRule = try c.decode(TieRule.self, forKey: .tieRule)
        topX = try c.decode([Int].self, forKey: .topX)
        selectionSizes = try c.decode([Int].self, forKey: .selectionSizes)
        bootstrapResamples = try c.decode(Int.self, forKey: .bootstrapResamples)
        bootstrapSeed = try c.decode(UInt64.self, forKey: .bootstrapSeed)
        level = try c.decode(Double.self, forKey: .level)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pairing, forKey: .pairing)
        try c.encode(distance, forKey: .distance)
        try c.encode(normalization, forKey: .normalize)
        try c.encode(rangeOver, forKey: .rangeOver)
        try c.encode(ranking, forKey: .ranking)
        try c.encode(tieRule, forKey: .tieRule)
        try c.encode(topX, forKey: .topX)
        try c.encode(selectionSizes, forKey: .selectionSizes)
        try c.encode(bootstrapResamples, forKey: .bootstrapResamples)
        try c.encode(bootstrapSeed, forKey: .bootstrapSeed)
        try c.encode(level, forKey: .level)
    }
}
