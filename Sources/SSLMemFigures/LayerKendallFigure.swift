import SSLMemAnalysis
import SSLMemModel
import SSLMemPlot
import SSLMemSupport

extension PaperFigure {
    /// Kendall's τ-b of m(x) over the candidates between every pair of layers (layer consistency), on the
    /// diverging map centred at τ = 0 (`Diverging`: blue −1, white 0, red +1).
    public static func layerKendallHeatmap(_ consistency: LayerConsistency, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let names = consistency.names
        let n = names.count
        let values = (0..<n).map { i in (0..<n).map { j in consistency.tau(i, j) } }
        let side = min(width.points, 56 * Double(max(1, n - 1)) + 150)
        let figure = Figure(width: side, height: side * (n <= 2 ? 0.55 : 0.8)) { canvas in
            Heatmap.lowerTriangle(
                names: names, values: values, scale: Scale(-1, 1),
                map: { Diverging.color($0) }, format: { NumberFormat.fixed($0, 2) }
            )
            .draw(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                title: "Kendall's τ of m(x) between layers", colorLabel: "Kendall's τ-b")
        }
        var rows: [[String]] = []
        for p in consistency.pairs {
            rows.append(
                [p.a, p.b, csvNumber(p.tau), csvNumber(p.pValue), String(p.n)]
                    + [10, 50, 100].map { x in p.top.first { $0.x == x }.map { csvNumber($0.overlap) } ?? "" })
        }
        return PaperFigure(
            name: "layer_kendall",
            caption: "Kendall's τ-b between the layers' per-candidate memorization m(x) = a_g − a_f: whether "
                + "layers memorize the same points, each pair of layers once (blue negative, white 0, red positive).",
            figure: figure, columns: ["a", "b", "tau", "pvalue", "n", "top10", "top50", "top100"], rows: rows)
    }
}
