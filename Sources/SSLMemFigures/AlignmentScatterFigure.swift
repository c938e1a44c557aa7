import SSLMemIO
import SSLMemModel
import SSLMemPlot

/// What colours the points of the alignment scatter (Fig. 2a).
public enum ScatterColoring: String, CaseIterable, Sendable {
    /// One colour and marker shape per subset (Okabe–Ito; shapes for grayscale print), with a legend.
    case subset
    /// The SSLMem score on the diverging map centred at 0 (`Diverging`), with a colour bar.
    case score
}

extension PaperFigure {
    /// Alignment loss on f against alignment loss on g (paper Fig. 2a), coloured by subset (default) or
    /// by SSLMem score on a diverging map whose neutral middle is 0. Both axes are losses (lower is
    /// better) on the same scale — equal limits, a square plot area, so y = x (dashed) is the 45° diagonal —
    /// fitted to the data. The score is A_g − A_f, so a point above the diagonal (y = A_g > x = A_f) is
    /// aligned better by f, which trained on the candidates: a positive score, where the most memorized
    /// candidates lie; a point below it is aligned better by g (a negative score, as for independent
    /// points). CaptionDirectionTests checks the caption against the data. Beyond 20,000 points the plane
    /// is binned (mean score per cell, on the diverging map, whatever `coloring` says) so the figure stays light.
    public static func alignmentScatter(
        _ table: ScoresTable, width: FigureWidth,
        coloring: ScatterColoring = .subset
    ) -> PaperFigure {
        let style = Style(width: width)
        let both = table.alignF + table.alignG
        let axis = Scale.covering(both, padding: 0.04)
        let binnedPlane = table.count > 20_000
        let byScore = coloring == .score || binnedPlane
        let colors = Diverging.symmetricScale(table.score)
        let map = { (s: Double) in Diverging.color(s, limit: colors.upper) }
        let height = width.points * (width.isNarrow ? 0.9 : 0.6)
        // A square plot area needs about the height plus the left margin (and the colour bar) across.
        let figureWidth = width.isNarrow ? width.points : min(width.points, height * (byScore ? 1.35 : 1.12))
        let subsets = Subset.allCases.filter { !table.scores(of: $0).isEmpty }
        let radius = table.count > 5000 ? 0.8 : width.isNarrow ? 1.3 : 1.6
        let figure = Figure(width: figureWidth, height: height) { canvas in
            let bar = ColorBar(scale: colors, label: "SSLMem score", map: map)
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                x: axis, y: axis, xLabel: "alignment loss on f (trained on S_C)",
                yLabel: "alignment loss on g (trained on S_I)",
                rightMargin: byScore ? bar.width(canvas: canvas, style: style) : 0, equalAspect: true)
            axes.line(
                [axis.lower, axis.upper], [axis.lower, axis.upper], color: .grey, width: style.axisWidth, dash: [3, 2])
            if binnedPlane {
                binned(table, axes: axes, map: map)
            } else if byScore {
                // Scores near 0 first, so the points far from 0 (either sign) are drawn on top.
                let order = table.score.indices.sorted { abs(table.score[$0]) < abs(table.score[$1]) }
                // A grey rim under every point: scores near 0 are near-white and would vanish on the white page.
                axes.scatter(
                    order.map { table.alignF[$0] }, order.map { table.alignG[$0] },
                    colors: order.map { _ in Color.grey.opacity(0.8) }, radius: radius + 0.35)
                axes.scatter(
                    order.map { table.alignF[$0] }, order.map { table.alignG[$0] },
                    colors: order.map { map(table.score[$0]) }, radius: radius)
            } else {
                // Shared and extra first, candidates last (on top); the more points, the more transparent, so
                // that where they pile up reads darker instead of hiding what is under it.
                let alpha = table.count > 2000 ? 0.3 : table.count > 600 ? 0.5 : 0.75
                for subset in [Subset.shared, .extra, .independent, .candidate] where subsets.contains(subset) {
                    let rows = table.index.indices.filter { table.subset[$0] == subset }
                    axes.scatter(
                        rows.map { table.alignF[$0] }, rows.map { table.alignG[$0] },
                        colors: rows.map { _ in SubsetStyle.color(subset).opacity(alpha) }, radius: radius,
                        marker: SubsetStyle.marker(subset))
                }
            }
            if byScore {
                bar.draw(beside: axes)
            } else {
                Legend(
                    subsets.map {
                        Legend.Entry(SubsetStyle.label($0), SubsetStyle.color($0), .marker(SubsetStyle.marker($0)))
                    }
                )
                .draw(on: axes, avoiding: Array(zip(table.alignF, table.alignG)))
            }
        }
        let rows = table.index.indices.map {
            [
                String(table.index[$0]), table.subset[$0].description, csvNumber(table.alignF[$0]),
                csvNumber(table.alignG[$0]), csvNumber(table.score[$0])
            ]
        }
        let colouring =
            byScore
            ? "coloured by SSLMem score (blue negative, white 0, red positive)" + (binnedPlane ? ", mean per cell" : "")
            : "coloured by subset"
        return PaperFigure(
            name: "alignment_scatter",
            caption: "Alignment loss on f vs on g per point, \(colouring) (paper Fig. 2a); lower loss is better and "
                + "both axes share one scale. Points above the dashed diagonal are aligned better by f, which trained on "
                + "the candidates (positive scores: the top candidate sits above it); points below it are aligned "
                + "better by g (negative scores).",
            figure: figure, columns: ["index", "subset", "align_f", "align_g", "score"], rows: rows)
    }

    private static func binned(_ table: ScoresTable, axes: Axes, map: (Double) -> Color) {
        let cells = 80
        var sums = [Double](repeating: 0, count: cells * cells)
        var counts = [Int](repeating: 0, count: cells * cells)
        for i in 0..<table.count {
            let cx = Int(axes.x.fraction(table.alignF[i]) * Double(cells))
            let cy = Int(axes.y.fraction(table.alignG[i]) * Double(cells))
            guard (0..<cells).contains(cx), (0..<cells).contains(cy) else { continue }
            sums[cy * cells + cx] += table.score[i]
            counts[cy * cells + cx] += 1
        }
        let w = axes.frame.width / Double(cells)
        let h = axes.frame.height / Double(cells)
        for cy in 0..<cells {
            for cx in 0..<cells where counts[cy * cells + cx] > 0 {
                axes.canvas.fill(
                    Rect(
                        x: axes.frame.x + Double(cx) * w, y: axes.frame.maxY - Double(cy + 1) * h,
                        width: w + 0.2, height: h + 0.2),
                    map(sums[cy * cells + cx] / Double(counts[cy * cells + cx])))
            }
        }
    }
}
