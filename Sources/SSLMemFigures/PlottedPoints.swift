import SSLMemIO
import SSLMemModel
import SSLMemPlot

/// Where a figure drew each point of a scores table, in the figure's own points
/// (1/72 in, origin top left, as its SVG's viewBox): the hit map behind the HTML
/// report's hover, tooltips and highlights. It is read off the figure's real
/// layout (`Figure.axesLayouts`), so it follows any change to the drawing.
public struct PlottedPoints: Sendable {
    public enum Kind: String, Sendable {
        /// One mark per point at (x, y): the alignment scatter.
        case scatter
        /// Points sit on curves at (x, y): a ROC vertex per point and signal.
        case curve
        /// Only x locates a point (its score under a histogram or density); y is not used.
        case strip
    }

    /// One set of marks: a ROC curve of one signal, or all the figure's points.
    public struct Series: Sendable {
        public var name: String
        /// Rows of the scores table, in the order of `x` and `y`.
        public var rows: [Int]
        public var x: [Double]
        /// Empty for `.strip`.
        public var y: [Double]
    }

    /// The figure's file stem (`PaperFigure.name`).
    public var name: String
    public var kind: Kind
    /// The figure's size in points.
    public var width: Double
    public var height: Double
    /// The plot area, in points.
    public var frame: Rect
    public var series: [Series]
}

extension PaperFigure {
    /// The points of `table` this figure plots and where: the alignment scatter (paper Fig. 2a) places every
    /// point at (align_f, align_g); the audit's ROC curves (linear and log–log) place each candidate and extra
    /// point on each signal's curve at the vertex of its own value, (FPR, TPR) at threshold t = its signal
    /// (`ROCCurve`: a point is called a member when its signal ≥ t); the score distribution (all points) and the
    /// audit's score histogram (candidates and extra points) place a point at its score on x. Nil for every other
    /// figure, and for a figure drawn from another table.
    public func plottedPoints(_ table: ScoresTable) -> PlottedPoints? {
        let all = Array(table.index.indices)
        let audited = all.filter { table.subset[$0] == .candidate || table.subset[$0] == .extra }
        let kind: PlottedPoints.Kind
        var data: [(name: String, rows: [Int], x: [Double], y: [Double])]
        switch name {
        case "alignment_scatter":
            kind = .scatter
            data = [("points", all, table.alignF, table.alignG)]
        case "score_distribution":
            kind = .strip
            data = [("points", all, all.map { table.score[$0] }, [])]
        case "membership_signal":
            kind = .strip
            data = [("points", audited, audited.map { table.score[$0] }, [])]
        case "membership_roc", "membership_roc_loglog":
            let logLog = name.hasSuffix("loglog")
            let members = audited.filter { table.subset[$0] == .candidate }.count
            let others = audited.count - members
            guard members > 0, others > 0 else { return nil }
            kind = .curve
            data = [("−align_f", audited.map { -table.alignF[$0] }), ("score", audited.map { table.score[$0] })].map {
                signal, values in
                let (fpr, tpr) = Self.rocVertices(
                    values, member: audited.map { table.subset[$0] == .candidate },
                    members: members, others: others)
                let x = logLog ? fpr.map { max($0, 0.5 / Double(others)) } : fpr
                let y = logLog ? tpr.map { max($0, 0.5 / Double(members)) } : tpr
                return (signal, audited, x, y)
            }
        default:
            return nil
        }
        guard let layout = figure.axesLayouts().first else { return nil }
        func clamp(_ v: Double, _ low: Double, _ high: Double) -> Double { v.isFinite ? min(max(v, low), high) : low }
        let frame = layout.frame
        let series = data.map { name, rows, x, y in
            let xs = rows.indices.map { clamp(layout.px(kind == .scatter ? x[rows[$0]] : x[$0]), frame.x, frame.maxX) }
            let ys =
                kind == .strip
                ? []
                : rows.indices.map {
                    clamp(layout.py(kind == .scatter ? y[rows[$0]] : y[$0]), frame.y, frame.maxY)
                }
            return PlottedPoints.Series(name: name, rows: rows, x: xs, y: ys)
        }
        return PlottedPoints(
            name: name, kind: kind, width: figure.width, height: figure.height, frame: frame,
            series: series)
    }

    /// For each value, the ROC vertex at threshold t = that value: FPR = #{non-members ≥ t}/N,
    /// TPR = #{members ≥ t}/P (ties share a vertex).
    static func rocVertices(_ values: [Double], member: [Bool], members: Int, others: Int) -> ([Double], [Double]) {
        let order = values.indices.sorted { values[$0] > values[$1] }
        var fpr = [Double](repeating: 0, count: values.count)
        var tpr = fpr
        var tp = 0
        var fp = 0
        var i = 0
        while i < order.count {
            var j = i
            while j < order.count && values[order[j]] == values[order[i]] {
                if member[order[j]] { tp += 1 } else { fp += 1 }
                j += 1
            }
            for k in i..<j {
                fpr[order[k]] = Double(fp) / Double(others)
                tpr[order[k]] = Double(tp) / Double(members)
            }
            i = j
        }
        return (fpr, tpr)
    }
}
