import SSLMemHDF5
import SSLMemIO
import SSLMemModel
import SSLMemSupport

/// How the difference of alignments is scaled into the score.
public enum Normalization: String, CaseIterable, Sendable, Codable {
    /// score = diff / (max diff − min diff), the max and min over the points of `RangeScope`.
    case range
    /// score = diff.
    case none
}

/// Over which points `Normalization.range` takes max diff − min diff (the score of every point is divided by
/// the same range).
///
/// - `candidate`: over the candidates S_C only, as the paper's App. A ("normalize … by the range … and report
///   the average over S_C") and the authors' released `memorization_scores.py` (which scores only S_C) do,
///   and as LayerMem does per layer. The scale then does not depend on which other subsets were dumped.
/// - `all`: over every point scored together (what sslmem did before 0.2); the candidate mean then shrinks when
///   shared, independent or extra points with a wider spread of diff are scored beside them.
public enum RangeScope: String, CaseIterable, Sendable, Codable {
    case all
    case candidate
}

extension Normalization {
    /// Scales `diff` into scores; `range` fails unless the differences vary.
    public func apply(_ diff: [Double]) throws -> [Double] {
        try apply(diff, rangeOver: Array(diff.indices), scope: .all)
    }

    /// Scales `diff` into scores, the range taken over the rows `rangeRows` (those of `scope`, which the
    /// error names); `range` fails unless the differences vary over those rows.
    public func apply(_ diff: [Double], rangeOver rangeRows: [Int], scope: RangeScope) throws -> [Double] {
        switch self {
        case .none:
            return diff
        case .range:
            let values = rangeRows.map { diff[$0] }
            guard let low = values.min(), let high = values.max(), high > low else {
                let what = scope == .all ? "points" : "candidates"
                throw SSLMemError(
                    "range normalization over the \(what) needs at least two \(what) with different "
                        + "alignment differences (\(values.count) given); "
                        + (scope == .candidate
                            ? "use range over all points or normalization none"
                            : "use normalization none"))
            }
            let range = high - low
            return diff.map { $0 / range }
        }
    }
}

/// Computes SSLMem (Wang et al., ICLR 2024, Eq. 2) from representations files:
/// diff(x) = A_g(x) − A_f(x), where A_f and A_g are the means of
/// a(x) over every f file and every g file (the expectation over encoders of
/// Eq. 2); each file is opened, checked against its role and streamed in turn.
public enum Memorization {
    public static func score(
        f: [String], g: [String], options: AlignmentOptions = AlignmentOptions(),
        normalization: Normalization = .range, rangeOver scope: RangeScope = .candidate,
        workers: Int = FileAlignment.defaultWorkers
    ) throws -> ScoresTable {
        try alignments(f: f, g: g, options: options, workers: workers).scores(normalization, rangeOver: scope)
    }

    /// A_f(x) and A_g(x) of every point, or with `shard` of the points in it.
    /// Each point's values are computed by the same code whatever the shard,
    /// so merged shards equal a whole run bit for bit.
    public static func alignments(
        f: [String], g: [String], options: AlignmentOptions = AlignmentOptions(), shard: Shard? = nil,
        workers: Int = FileAlignment.defaultWorkers
    ) throws -> AlignmentsTable {
        guard !f.isEmpty, !g.isEmpty else { throw SSLMemError("SSLMem needs at least one f file and one g file") }
        var files: [RepresentationsFile] = []
        var values: [[Double]] = []
        for (path, role) in f.map({ ($0, EncoderRole.f) }) + g.map({ ($0, EncoderRole.g) }) {
            let file = try RepresentationsFile(path: path)
            try file.checkRole(role)
            try checkPoints(of: file, matches: files.first)
            values.append(try FileAlignment.alignments(of: file, options: options, shard: shard, workers: workers))
            files.append(file)
        }
        return try table(
            f: Array(files.prefix(f.count)), g: Array(files.suffix(g.count)), alignments: values,
            options: options, shard: shard)
    }

    /// Fails, as `table` would, unless `file` holds the points of `reference` (the first file), so that a
    /// mismatch stops a run before its files are read.
    package static func checkPoints(of file: RepresentationsFile, matches reference: RepresentationsFile?) throws {
        guard let reference else { return }
        _ = try PointTable(reference).arrange(
            [Double](repeating: 0, count: file.index.count), of: file, reference: reference.path)
    }

    /// The `/views` of `file` as a stream of `FileAlignment.alignments(of:options:shard:workers:)`, for callers
    /// that stream it in one loop with other datasets (LayerMem).
    package static func stream(of file: RepresentationsFile, options: AlignmentOptions) throws -> FileAlignment.Stream {
        FileAlignment.Stream(
            views: try RowBlockReader(file.representations),
            original: try options.pairing == .original ? RowBlockReader(try file.original()) : nil, file: file.path,
            keys: file.index, viewCount: file.viewCount, viewLength: file.viewLength)
    }

    /// The table of `alignments(f:g:options:shard:workers:)` from each file's a(x) (`alignments`: the f files',
    /// then the g files', in order): A_M(x) is the mean over the files of role M, added in the order given, each
    /// file's rows arranged as the first file's points.
    package static func table(
        f: [RepresentationsFile], g: [RepresentationsFile], alignments: [[Double]], options: AlignmentOptions,
        shard: Shard?
    ) throws -> AlignmentsTable {
        let points = PointTable(f[0])
        let reference = f[0].path
        func meanAlignment(_ files: [RepresentationsFile], _ values: ArraySlice<[Double]>) throws -> [Double] {
            var sum: [Double] = []
            for (file, values) in zip(files, values) {
                let arranged = try points.arrange(values, of: file, reference: reference)
                sum = sum.isEmpty ? arranged : zip(sum, arranged).map { $0 + $1 }
            }
            return sum.map { $0 / Double(files.count) }
        }
        let alignF = try meanAlignment(f, alignments.prefix(f.count))
        let alignG = try meanAlignment(g, alignments.suffix(g.count))
        let all = AlignmentsTable(
            index: points.index, subset: points.subset, label: points.label, alignF: alignF, alignG: alignG,
            provenance: [
                ("pairing", .strings([options.pairing.rawValue])),
                ("distance", .strings([options.distance.rawValue])), ("f_files", .strings(f.map(\.path))),
                ("g_files", .strings(g.map(\.path)))
            ],
            shard: shard?.number ?? 0, shards: shard?.count ?? 1)
        guard let shard else { return all }
        return all.filter { shard.contains(all.index[$0]) }
    }
}

extension AlignmentsTable {
    /// The scores: diff = A_g − A_f, divided (with `range`) by max − min of diff over the points of `scope`
    /// (the candidates, or all points of the table). The provenance records `normalize` and, with `range`,
    /// `range_over`.
    public func scores(_ normalization: Normalization, rangeOver scope: RangeScope = .candidate) throws -> ScoresTable {
        let diff = zip(alignG, alignF).map { $0 - $1 }
        var provenance = self.provenance
        provenance.insert(("normalize", .strings([normalization.rawValue])), at: min(2, provenance.count))
        if normalization == .range {
            provenance.insert(("range_over", .strings([scope.rawValue])), at: min(3, provenance.count))
        }
        let rows = scope == .all ? Array(diff.indices) : subset.indices.filter { subset[$0] == .candidate }
        return ScoresTable(
            index: index, subset: subset, label: label, alignF: alignF, alignG: alignG, diff: diff,
            score: try normalization.apply(diff, rangeOver: rows, scope: scope), provenance: provenance)
    }
}
