import SSLMemAnalysis
import SSLMemModel
import SSLMemPlot
import SSLMemSupport

extension PaperFigure {
    /// Kendall's τ-b between runs as a heatmap with τ and p in each cell (paper Table 13 as a picture), on the
    /// diverging map centred at τ = 0 (`Diverging`: blue −1, white 0, red +1), since τ is signed.
    public static func kendallHeatmap(_ comparison: RunComparison, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let n = comparison.names.count
        let values = comparison.kendall.map { $0.map(\.tau) }
        let notes = comparison.kendall.map { row in
            row.map {
                $0.pValue.isNaN ? "" : $0.pValue < 1e-3 ? "p < 0.001" : "p = \(NumberFormat.fixed($0.pValue, 3))"
            }
        }
        // Each pair once: the lower triangle without the diagonal (τ of a run with itself is 1).
        let side = min(width.points, 60 * Double(max(1, n - 1)) + 150)
        let heatmap = Heatmap.lowerTriangle(
            names: comparison.names, values: values, notes: notes, scale: Scale(-1, 1),
            map: { Diverging.color($0) }, format: { NumberFormat.fixed($0, 2) })
        let colorLabel = "Kendall's τ-b"
        // Long run names are written bottom to top above the columns: room for them on top of the cells.
        let labels = heatmap.extraColumnLabelHeight(width: side, style: style, colorLabel: colorLabel)
        let figure = Figure(width: side, height: side * (n <= 2 ? 0.55 : 0.8) + labels) { canvas in
            heatmap.draw(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                title: "Kendall's τ between runs", colorLabel: colorLabel)
        }
        var rows: [[String]] = []
        for i in 0..<n {
            for j in 0..<n {
                let k = comparison.kendall[i][j]
                rows.append([
                    comparison.names[i], comparison.names[j], csvNumber(k.tau), csvNumber(k.pValue), String(k.count)
                ])
            }
        }
        return PaperFigure(
            name: "kendall_heatmap",
            caption: "Kendall's τ-b between the runs' candidate scores, each pair once, with two-sided p (paper Table "
                + "13); blue is negative, white 0 (no association), red positive.",
            figure: figure, columns: ["a", "b", "tau", "pvalue", "n"], rows: rows)
    }
}
