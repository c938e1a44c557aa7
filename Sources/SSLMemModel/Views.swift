import SSLMemSupport

/// One encoder's augmented views of a set of points, held in memory: what a
/// representations file's `/points` and `/views` hold (docs/layout.md), for
/// code that has the embeddings as arrays and no file.
///
/// `values` is row-major [N, K, D]: point n's view k is
/// `values[(n·K + k)·D ..< (n·K + k + 1)·D]`, the whole flattened vector of that
/// view. `original`, when given, is row-major [N, D]: the un-augmented point,
/// needed by pairing `original`. Rows may come in any order; points are joined
/// across encoders on `points.index`, never by position.
public struct Views: Sendable, Equatable {
    /// The points, one per row of `values`: index, subset, label.
    public var points: PointTable
    /// K, the number of augmented views per point (at least 2).
    public var viewCount: Int
    /// D, the length of one view vector.
    public var viewLength: Int
    public var values: [Float]
    public var original: [Float]?
    /// Names these views in error messages (as a file path would), e.g. "f".
    public var name: String

    /// Checks the shapes: `values` holds N·K·D numbers, `original` N·D, K ≥ 2, D ≥ 1,
    /// and the point indices are unique.
    public init(
        points: PointTable, viewCount: Int, viewLength: Int, values: [Float], original: [Float]? = nil,
        name: String = "views"
    ) throws {
        let n = points.count
        guard viewCount >= 2, viewLength >= 1 else {
            throw SSLMemError(
                file: name, "needs at least 2 views of length at least 1, got \(viewCount) of length \(viewLength)")
        }
        guard points.subset.count == n, points.label.count == n else {
            throw SSLMemError(
                file: name, "points: \(n) indices, \(points.subset.count) subsets, \(points.label.count) labels")
        }
        guard values.count == n * viewCount * viewLength else {
            throw SSLMemError(
                file: name, dataset: "values",
                "holds \(values.count) numbers; \(n) points × \(viewCount) views × \(viewLength) is \(n * viewCount * viewLength)"
            )
        }
        if let original, original.count != n * viewLength {
            throw SSLMemError(
                file: name, dataset: "original",
                "holds \(original.count) numbers; \(n) points × \(viewLength) is \(n * viewLength)")
        }
        var seen = Set<Int64>(minimumCapacity: n)
        for key in points.index where !seen.insert(key).inserted {
            throw SSLMemError(file: name, dataset: "index", point: key, "appears twice; point indices must be unique")
        }
        self.points = points
        self.viewCount = viewCount
        self.viewLength = viewLength
        self.values = values
        self.original = original
        self.name = name
    }

    /// Views given as nested arrays: `views[n][k]` is view k of point n; every
    /// point needs the same number of views, every view the same length.
    public init(
        index: [Int64], subset: [Subset], label: [Int64]? = nil, views: [[[Float]]],
        original: [[Float]]? = nil, name: String = "views"
    ) throws {
        let k = views.first?.count ?? 2
        let d = views.first?.first?.count ?? 1
        for (n, point) in views.enumerated() where point.count != k || point.contains(where: { $0.count != d }) {
            throw SSLMemError(
                file: name, point: n < index.count ? index[n] : nil,
                "every point needs \(k) views of length \(d), as the first point has")
        }
        try self.init(
            points: PointTable(index: index, subset: subset, label: label ?? index.map { _ in -1 }),
            viewCount: k, viewLength: d, values: views.flatMap { $0.flatMap { $0 } },
            original: original.map { $0.flatMap { $0 } }, name: name)
    }
}
