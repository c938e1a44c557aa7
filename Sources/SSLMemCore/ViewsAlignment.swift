import SSLMemIO
import SSLMemModel
import SSLMemSupport

/// SSLMem from views held in memory (`Views`), with the same kernel, the same
/// mean over encoders and the same normalization as from files, so a table
/// scored from arrays equals the one scored from files holding those arrays.
extension Memorization {
    /// diff(x) = A_g(x) − A_f(x) (Wang et al., ICLR 2024, Eq. 2), A_f and A_g the
    /// means of a(x) over the encoders in `f` and in `g`; normalized as asked.
    /// All views must hold the same points with the same subsets.
    public static func score(
        f: [Views], g: [Views], options: AlignmentOptions = AlignmentOptions(), normalization: Normalization = .range,
        rangeOver scope: RangeScope = .candidate
    ) throws -> ScoresTable {
        try alignments(f: f, g: g, options: options).scores(normalization, rangeOver: scope)
    }

    /// A_f(x) and A_g(x) of every point, in ascending index.
    public static func alignments(f: [Views], g: [Views], options: AlignmentOptions = AlignmentOptions()) throws
        -> AlignmentsTable
    {
        guard let first = f.first, !g.isEmpty else {
            throw SSLMemError("SSLMem needs views from at least one f encoder and one g encoder")
        }
        let order = PointTable.order(first.points.index)
        let points = PointTable(
            index: order.map { first.points.index[$0] }, subset: order.map { first.points.subset[$0] },
            label: order.map { first.points.label[$0] })
        func mean(_ encoders: [Views]) throws -> [Double] {
            var sum = [Double](repeating: 0, count: points.count)
            for views in encoders {
                let arranged = try points.arrange(
                    try alignments(of: views, options: options), index: views.points.index,
                    subset: views.points.subset, source: views.name,
                    dataset: "index", subsetDataset: "subset", reference: first.name)
                for i in sum.indices { sum[i] += arranged[i] }
            }
            return sum.map { $0 / Double(encoders.count) }
        }
        return AlignmentsTable(
            index: points.index, subset: points.subset, label: points.label, alignF: try mean(f), alignG: try mean(g),
            provenance: [
                ("pairing", .strings([options.pairing.rawValue])),
                ("distance", .strings([options.distance.rawValue])), ("f_files", .strings(f.map(\.name))),
                ("g_files", .strings(g.map(\.name)))
            ])
    }

    /// a(x) of every row of `views`, in row order (`AlignmentKernel`).
    public static func alignments(of views: Views, options: AlignmentOptions = AlignmentOptions()) throws -> [Double] {
        let k = views.viewCount
        let d = views.viewLength
        if options.pairing == .original && views.original == nil {
            throw SSLMemError(
                file: views.name, dataset: "original",
                "pairing original needs the original (un-augmented) view of every point")
        }
        return try views.values.withUnsafeBufferPointer { values in
            try (views.original ?? []).withUnsafeBufferPointer { original in
                try views.points.index.indices.map { row in
                    let outcome = AlignmentKernel.alignment(
                        views: values.baseAddress! + row * k * d, count: k, length: d,
                        original: views.original == nil ? nil : original.baseAddress! + row * d, options: options)
                    switch outcome {
                    case .alignment(let a):
                        return a
                    case .badView(let view, let norm):
                        throw SSLMemError(
                            file: views.name, dataset: view == k ? "original" : "values",
                            point: views.points.index[row],
                            (view == k ? "original view" : "view \(view)")
                                + (norm.isNaN || norm.isInfinite ? " holds NaN or Inf" : " is a zero vector")
                                + "; the alignment needs finite, non-zero views")
                    }
                }
            }
        }
    }
}
