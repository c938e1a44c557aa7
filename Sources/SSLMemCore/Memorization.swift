import SSLMemIO

/// How the difference of alignments is scaled into the score.
public enum Normalization: String, CaseIterable, Sendable {
    /// score = diff / (max diff − min diff), over all points scored together.
    case range
    /// score = diff.
    case none
}

extension Normalization {
    /// Scales `diff` into scores; `range` fails unless the differences vary.
    public func apply(_ diff: [Double]) throws -> [Double] {
        switch self {
        case .none:
            return diff
        case .range:
            guard let low = diff.min(), let high = diff.max(), high > low else {
                throw SSLMemError("range normalization needs at least two points with different alignment "
                                  + "differences (\(diff.count) point(s) given); use normalization none")
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
        normalization: Normalization = .range, workers: Int = FileAlignment.defaultWorkers
    ) throws -> ScoresTable {
        try alignments(f: f, g: g, options: options, workers: workers).scores(normalization)
    }

    /// A_f(x) and A_g(x) of every point, or with `shard` of the points in it.
    /// Each point's values are computed by the same code whatever the shard,
    /// so merged shards equal a whole run bit for bit.
    public static func alignments(
        f: [String], g: [String], options: AlignmentOptions = AlignmentOptions(), shard: Shard? = nil,
        workers: Int = FileAlignment.defaultWorkers
    ) throws -> AlignmentsTable {
        guard !f.isEmpty, !g.isEmpty else { throw SSLMemError("SSLMem needs at least one f file and one g file") }
        var points: PointTable?
        var reference = ""
        func meanAlignment(_ paths: [String], role: EncoderRole) throws -> [Double] {
            var sum: [Double] = []
            for path in paths {
                let file = try RepresentationsFile(path: path)
                try file.checkRole(role)
                let values = try FileAlignment.alignments(of: file, options: options, shard: shard, workers: workers)
                if points == nil {
                    points = PointTable(file)
                    reference = path
                }
                let arranged = try points!.arrange(values, of: file, reference: reference)
                sum = sum.isEmpty ? arranged : zip(sum, arranged).map { $0 + $1 }
            }
            return sum.map { $0 / Double(paths.count) }
        }
        let alignF = try meanAlignment(f, role: .f)
        let alignG = try meanAlignment(g, role: .g)
        let all = AlignmentsTable(
            index: points!.index, subset: points!.subset, label: points!.label, alignF: alignF, alignG: alignG,
            provenance: [("pairing", .strings([options.pairing.rawValue])),
                         ("distance", .strings([options.distance.rawValue])), ("f_files", .strings(f)),
                         ("g_files", .strings(g))],
            shard: shard?.number ?? 0, shards: shard?.count ?? 1)
        guard let shard else { return all }
        return all.filter { shard.contains(all.index[$0]) }
    }
}

extension AlignmentsTable {
    /// The scores: diff = A_g − A_f, normalized over all points of the table.
    public func scores(_ normalization: Normalization) throws -> ScoresTable {
        let diff = zip(alignG, alignF).map { $0 - $1 }
        var provenance = self.provenance
        provenance.insert(("normalize", .strings([normalization.rawValue])), at: min(2, provenance.count))
        return ScoresTable(index: index, subset: subset, label: label, alignF: alignF, alignG: alignG, diff: diff,
                           score: try normalization.apply(diff), provenance: provenance)
    }
}
