/// The one per-point table: one row per point, in ascending index (the order of
/// every output; files are joined on the index, never by row position), with
/// the columns `index,subset,label,align_f,align_g,diff,score` (docs/layout.md).
///
/// A table grows along the pipeline, and ``known`` says how far it got:
/// - the points being scored (``init(index:subset:label:)``): index, subset and
///   label; the other columns are NaN;
/// - their alignments A_f(x) and A_g(x) (``AlignmentsTable``, what one shard of
///   a sharded run writes): also `align_f`, `align_g` and diff = A_g − A_f;
/// - the SSLMem scores (``ScoresTable``): also `score`, the normalized diff;
/// - a per-point score from another tool: index and score, subset and label
///   when its file held them (``init(index:score:subset:label:)``).
///
/// `ScoresTable` and `AlignmentsTable` are names of this type, kept for what
/// reads better at a call site.
public struct PointTable: Sendable, Equatable {
    /// The points' indices (`/points/index`), ascending and unique.
    public var index: [Int64]
    /// Each point's subset (`.shared` where unknown; see ``known``).
    public var subset: [Subset]
    /// -1 where unknown.
    public var label: [Int64]
    /// A_f(x): the alignment under the encoder f (NaN where unknown).
    public var alignF: [Double]
    /// A_g(x): the alignment under the encoder g (NaN where unknown).
    public var alignG: [Double]
    /// A_g(x) − A_f(x), before normalization (NaN where unknown).
    public var diff: [Double]
    /// The score: `diff` normalized over all points of the table, or another tool's per-point score (NaN where unknown).
    public var score: [Double]
    /// How the table was made (options, input files), kept as attributes in HDF5.
    public var provenance: [(String, HDF5AttributeValue)]
    /// Which columns the table holds.
    public var known: KnownColumns
    /// Which shard of a sharded scoring run (`sslmem score --shard i/N`) these alignments are: 0 of 1 when not sharded.
    public var shard: Int
    /// How many shards the run was split into.
    public var shards: Int

    /// The columns of a per-point table that it actually holds.
    public struct KnownColumns: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Which subset each point is in.
        public static let subset = KnownColumns(rawValue: 1)
        /// Each point's class label.
        public static let label = KnownColumns(rawValue: 2)
        /// align_f, align_g and diff.
        public static let alignments = KnownColumns(rawValue: 4)
        /// The per-point score.
        public static let score = KnownColumns(rawValue: 8)
        /// A scores file written by sslmem.
        public static let all: KnownColumns = [.subset, .label, .alignments, .score]
    }

    /// Every column given; the designated initializer.
    public init(
        index: [Int64], subset: [Subset], label: [Int64], alignF: [Double], alignG: [Double], diff: [Double],
        score: [Double], provenance: [(String, HDF5AttributeValue)] = [], known: KnownColumns = .all,
        shard: Int = 0, shards: Int = 1
    ) {
        self.index = index
        self.subset = subset
        self.label = label
        self.alignF = alignF
        self.alignG = alignG
        self.diff = diff
        self.score = score
        self.provenance = provenance
        self.known = known
        self.shard = shard
        self.shards = shards
    }

    /// The points alone: index, subset and label.
    public init(index: [Int64], subset: [Subset], label: [Int64]) {
        let unknown = [Double](repeating: .nan, count: index.count)
        self.init(
            index: index, subset: subset, label: label, alignF: unknown, alignG: unknown, diff: unknown,
            score: unknown, known: [.subset, .label])
    }

    /// The points with their alignments A_f and A_g (diff = A_g − A_f), not yet
    /// scored: shard `shard` of `shards`.
    public init(
        index: [Int64], subset: [Subset], label: [Int64], alignF: [Double], alignG: [Double],
        provenance: [(String, HDF5AttributeValue)], shard: Int = 0, shards: Int = 1
    ) {
        self.init(
            index: index, subset: subset, label: label, alignF: alignF, alignG: alignG,
            diff: zip(alignG, alignF).map { $0 - $1 }, score: [Double](repeating: .nan, count: index.count),
            provenance: provenance, known: [.subset, .label, .alignments], shard: shard, shards: shards)
    }

    /// Number of points (rows).
    public var count: Int { index.count }

    /// The table's rows `rows`, in that order (every column, the provenance and `known` kept).
    public func rows(_ rows: [Int]) -> PointTable {
        PointTable(
            index: rows.map { index[$0] }, subset: rows.map { subset[$0] }, label: rows.map { label[$0] },
            alignF: rows.map { alignF[$0] }, alignG: rows.map { alignG[$0] }, diff: rows.map { diff[$0] },
            score: rows.map { score[$0] }, provenance: provenance, known: known, shard: shard, shards: shards)
    }

    /// The rows where `keep` holds, in order.
    public func filter(_ keep: (Int) -> Bool) -> PointTable { rows(index.indices.filter(keep)) }

    /// Row order that sorts `keys` ascending.
    package static func order(_ keys: [Int64]) -> [Int] {
        keys.indices.sorted { keys[$0] < keys[$1] }
    }

    /// Equal columns (NaN equal to NaN, the unknown values), `known` and shard; the provenance is not compared.
    public static func == (a: PointTable, b: PointTable) -> Bool {
        a.index == b.index && a.subset == b.subset && a.label == b.label && a.alignF.elementsEqualOrBothNaN(b.alignF)
            && a.alignG.elementsEqualOrBothNaN(b.alignG) && a.diff.elementsEqualOrBothNaN(b.diff)
            && a.score.elementsEqualOrBothNaN(b.score) && a.known == b.known && a.shard == b.shard
            && a.shards == b.shards
    }
}

extension [Double] {
    /// Equal element by element, NaN equal to NaN (the unknown columns of a table).
    func elementsEqualOrBothNaN(_ other: [Double]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
}
