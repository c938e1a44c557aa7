import SSLMemIO
import SSLMemPlot

extension PaperFigure {
    /// Alignment loss on f against alignment loss on g, coloured by SSLMem score
    /// (paper Fig. 2a). Both axes are losses (lower is better) and the score is
    /// A_g − A_f, so a point above the diagonal (y = A_g > x = A_f) is aligned better
    /// by f, which trained on the candidates: a positive score, where the most
    /// memorized candidates lie; a point below it is aligned better by g (a negative
    /// score, as for independent points). CaptionDirectionTests checks
    /// the caption against the data. Beyond 20,000 points the plane is binned (mean score per
    /// cell) so the figure stays light.
    public static func alignmentScatter(_ table: ScoresTable, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let both = table.alignF + table.alignG
        let axis = Scale.covering(both, padding: 0.03).niced()
        let colors = Scale.covering(table.score)
        let map = { (s: Double) in Viridis.color(colors.fraction(s)) }
        let figure = Figure(width: width.points, height: width.points * (width == .single ? 0.86 : 0.62)) { canvas in
            let bar = ColorBar(scale: colors, label: "SSLMem score", map: map)
            let axes = Axes(canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                            x: axis, y: axis, xLabel: "alignment loss on f (trained on S_C)",
                            yLabel: "alignment loss on g (trained on S_I)", rightMargin: bar.width(canvas: canvas, style: style))
            if table.count > 20_000 {
                binned(table, axes: axes, map: map)
            } else {
                // Low scores first, so the memorized points are drawn on top.
                let order = table.score.indices.sorted { table.score[$0] < table.score[$1] }
                axes.scatter(order.map { table.alignF[$0] }, order.map { table.alignG[$0] },
                             colors: order.map { map(table.score[$0]).opacity(0.85) },
                             radius: table.count > 5000 ? 0.8 : width == .single ? 1.2 : 1.6)
            }
            axes.line([axis.lower, axis.upper], [axis.lower, axis.upper], color: .grey, width: style.axisWidth, dash: [3, 2])
            bar.draw(beside: axes)
        }
        let rows = table.index.indices.map {
            [String(table.index[$0]), table.subset[$0].description, csvNumber(table.alignF[$0]),
             csvNumber(table.alignG[$0]), csvNumber(table.score[$0])]
        }
        return PaperFigure(
            name: "alignment_scatter",
            caption: "Alignment loss on f vs on g per point, coloured by SSLMem score (paper Fig. 2a); lower loss "
                + "is better. Points above the dashed diagonal are aligned better by f, which trained on the "
                + "candidates (positive scores: the top candidate sits above it); points below it are aligned "
                + "better by g (negative scores).",
            figure: figure, columns: ["index", "subset", "align_f", "align_g", "score"], rows: rows)
    }

    private static func binned(_ table: ScoresTable, axes: Axes, map: (Double) -> Color) {
        let cells = 80
        var sums = [Double](repeating: 0, count: cells * cells), counts = [Int](repeating: 0, count: cells * cells)
        for i in 0..<table.count {
            let cx = Int(axes.x.fraction(table.alignF[i]) * Double(cells)), cy = Int(axes.y.fraction(table.alignG[i]) * Double(cells))
            guard (0..<cells).contains(cx), (0..<cells).contains(cy) else { continue }
            sums[cy * cells + cx] += table.score[i]
            counts[cy * cells + cx] += 1
        }
        let w = axes.frame.width / Double(cells), h = axes.frame.height / Double(cells)
        for cy in 0..<cells {
            for cx in 0..<cells where counts[cy * cells + cx] > 0 {
                axes.canvas.fill(Rect(x: axes.frame.x + Double(cx) * w, y: axes.frame.maxY - Double(cy + 1) * h,
                                      width: w + 0.2, height: h + 0.2),
                                 map(sums[cy * cells + cx] / Double(counts[cy * cells + cx])))
            }
        }
    }
}
