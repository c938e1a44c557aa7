import SSLMemIO
import SSLMemModel
import SSLMemPlot

extension PaperFigure {
    /// Share of each subset's points whose SSLMem score exceeds a threshold, as
    /// the threshold grows (paper Fig. 5): where f memorizes, the candidates' curve lies above the others'.
    public static func thresholdCurve(_ table: ScoresTable, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let subsets = Subset.allCases.filter { !table.scores(of: $0).isEmpty }
        let range = Scale.covering(table.score)
        let thresholds = (0...100).map { range.lower + Double($0) / 100 * (range.upper - range.lower) }
        var shares: [Subset: [Double]] = [:]
        for subset in subsets {
            let scores = table.scores(of: subset).sorted()
            shares[subset] = thresholds.map { t in
                // Share strictly above t, by binary search in the sorted scores.
                var low = 0
                var high = scores.count
                while low < high {
                    let mid = (low + high) / 2
                    if scores[mid] <= t { low = mid + 1 } else { high = mid }
                }
                return Double(scores.count - low) / Double(scores.count)
            }
        }
        let figure = Figure(width: width.points, height: width.points * (width.isNarrow ? 0.78 : 0.5)) { canvas in
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                x: Scale.covering(thresholds, padding: 0.02), y: Scale(0, 1), xLabel: "threshold on SSLMem score",
                yLabel: "share of points above threshold")
            for subset in subsets {
                axes.line(
                    thresholds, shares[subset]!, color: SubsetStyle.color(subset),
                    width: subset == .candidate ? style.lineWidth * 1.4 : style.lineWidth,
                    dash: SubsetStyle.dash(subset))
            }
            let drawn = subsets.flatMap { s in zip(thresholds, shares[s]!).map { ($0, $1) } }
            Legend(
                subsets.map {
                    Legend.Entry(SubsetStyle.label($0), SubsetStyle.color($0), .pattern(SubsetStyle.dash($0)))
                }
            ).draw(on: axes, avoiding: drawn)
        }
        let rows = thresholds.indices.map { i in [csvNumber(thresholds[i])] + subsets.map { csvNumber(shares[$0]![i]) }
        }
        return PaperFigure(
            name: "threshold_curve",
            caption: "Share of points per subset whose SSLMem score exceeds a threshold (paper Fig. 5).",
            figure: figure, columns: ["threshold"] + subsets.map(\.description), rows: rows)
    }
}
