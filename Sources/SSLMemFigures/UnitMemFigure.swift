import SSLMemCore
import SSLMemIO
import SSLMemModel
import SSLMemPlot

extension PaperFigure {
    /// One histogram of UnitMem per layer (small multiples, a shared x axis from 0 to 1).
    public static func unitMemHistogram(_ layers: [UnitMemLayer], width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let bins = 20
        let edges = (0...bins).map { Double($0) / Double(bins) }
        let counts: [[Double]] = layers.map { layer in
            var c = [Double](repeating: 0, count: bins)
            for u in layer.units where u.isFinite {
                c[min(bins - 1, max(0, Int(u * Double(bins))))] += 1
            }
            return c
        }
        let columns = min(layers.count, width.isNarrow ? 2 : 4)
        let gridRows = (layers.count + columns - 1) / max(1, columns)
        let panelHeight = width.points / Double(max(1, columns)) * 0.8
        let figure = Figure(width: width.points, height: max(1, Double(gridRows)) * panelHeight) { canvas in
            let w = canvas.width / Double(max(1, columns))
            for (i, layer) in layers.enumerated() {
                let bounds = Rect(
                    x: Double(i % columns) * w, y: Double(i / columns) * panelHeight, width: w,
                    height: panelHeight)
                let top = max(1, counts[i].max() ?? 1)
                let axes = Axes(
                    canvas: canvas, style: style, bounds: bounds, x: Scale(0, 1),
                    y: Scale(0, top * 1.1).niced(targetTicks: 3), xLabel: "UnitMem",
                    yLabel: i % columns == 0 ? "units" : nil, title: layer.name)
                axes.histogram(
                    edges: edges, heights: counts[i],
                    color: Viridis.color(
                        layers.count > 1 ? Double(i) / Double(layers.count - 1) * 0.85 : 0.3), filled: true)
                let mean = layer.summary.mean
                if mean.isFinite { axes.reference(x: mean, color: .black) }
            }
        }
        var rows: [[String]] = []
        for (i, layer) in layers.enumerated() {
            for b in 0..<bins {
                rows.append([
                    layer.name, String(layer.order), csvNumber(edges[b]), csvNumber(edges[b + 1]),
                    String(Int(counts[i][b]))
                ])
            }
        }
        return PaperFigure(
            name: "unitmem_histogram",
            caption: "Distribution of UnitMem over each layer's units of f (the dashed line marks the mean); "
                + "values near 1 are units that one training point activates far more than the others.",
            figure: figure, columns: ["layer", "order", "bin_low", "bin_high", "units"], rows: rows)
    }

    /// For every unit, the final SSLMem score of its most activating point x*(u) against the unit's
    /// UnitMem, coloured by layer depth: do highly memorizing units fire for memorized points?
    public static func unitMemScatter(_ layers: [UnitMemLayer], scores: ScoresTable, width: FigureWidth) -> PaperFigure
    {
        let style = Style(width: width)
        var rowOf: [Int64: Int] = [:]
        for (row, key) in scores.index.enumerated() { rowOf[key] = row }
        var xs: [Double] = []
        var ys: [Double] = []
        var colors: [Color] = []
        var rows: [[String]] = []
        for (i, layer) in layers.enumerated() {
            let color = Viridis.color(layers.count > 1 ? Double(i) / Double(layers.count - 1) * 0.85 : 0.3)
            for u in layer.units.indices {
                guard let row = rowOf[layer.argmaxIndex[u]] else { continue }
                xs.append(scores.score[row])
                ys.append(layer.units[u])
                colors.append(color.opacity(0.8))
                rows.append([
                    layer.name, String(u), String(layer.argmaxIndex[u]), scores.subset[row].description,
                    csvNumber(scores.score[row]), csvNumber(layer.units[u])
                ])
            }
        }
        let x = Scale.covering(xs.filter(\.isFinite) + [0], padding: 0.05).niced()
        let finite = ys.filter(\.isFinite)
        let y = Scale(Swift.min(0, finite.min() ?? 0), Swift.max(1, finite.max() ?? 1)).niced()
        let figure = Figure(width: width.points, height: width.points * (width.isNarrow ? 0.86 : 0.55)) { canvas in
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                x: x, y: y, xLabel: "SSLMem score of x*(u)", yLabel: "UnitMem(u)")
            axes.scatter(xs, ys, colors: colors, radius: width.isNarrow ? 1.3 : 1.7)
            let entries = layers.enumerated().map { i, layer in
                Legend.Entry(
                    layer.name,
                    Viridis.color(layers.count > 1 ? Double(i) / Double(layers.count - 1) * 0.85 : 0.3)
                        .opacity(0.8), .marker(.circle), rich: false)
            }
            Legend(Array(entries.prefix(12))).draw(on: axes, avoiding: Array(zip(xs, ys)))
        }
        return PaperFigure(
            name: "unitmem_scatter",
            caption: "Each unit of f: the SSLMem score of the training point that activates it most, x*(u), "
                + "against its UnitMem, coloured by layer (input dark, output light).",
            figure: figure, columns: ["layer", "unit", "argmax_index", "subset", "score", "unitmem"], rows: rows)
    }
}
