import SSLMemCore
import SSLMemPlot

extension PaperFigure {
    /// LayerMem and ΔLayerMem per layer as bars, layers left to right in `order`
    /// (Wang et al., NeurIPS 2024, Fig. 2/3 style). No background bands: they would suggest groups of layers
    /// the dump does not record.
    public static func layerMemProfile(_ analysis: LayerMemAnalysis, width: FigureWidth) -> PaperFigure {
        let names = analysis.layers.map(\.name)
        let series: [(String, [Double], Color)] =
            [
                ("LayerMem", analysis.layers.map(\.layerMem), OkabeIto.vermillion),
                ("ΔLayerMem", analysis.layers.map(\.delta), OkabeIto.blue)
            ]
            + (analysis.layers.allSatisfy { $0.control.isNaN }
                ? []
                : [
                    ("S_E control", analysis.layers.map(\.control), Color.grey)
                ])
        let figure = layerBars(names: names, series: series, yLabel: "memorization (m̃ averaged over S_C)", width: width)
        let rows = analysis.layers.map {
            [
                $0.name, String($0.order), csvNumber($0.layerMem), csvNumber($0.delta), String($0.n),
                csvNumber($0.control)
            ]
        }
        return PaperFigure(
            name: "layermem_profile",
            caption: "LayerMem (mean normalized m(x) = a_g − a_f over the \(analysis.candidates.count) candidates) and "
                + "ΔLayerMem (the increase over the previous layer) per layer, input to output, with the same normalized "
                + "difference over the extra points S_E (grey; no encoder trained on them: a control); pairing "
                + "\(analysis.pairing), distance \(analysis.distance).",
            figure: figure, columns: ["layer", "order", "layermem", "delta", "n", "control_extra"], rows: rows)
    }

    /// LayerMem over all candidates beside the mean m̃ of the most and the least
    /// memorized candidates by the final SSLMem score.
    public static func layerMemExtremes(_ analysis: LayerMemAnalysis, width: FigureWidth) -> PaperFigure {
        let e = analysis.extremes
        let series: [(String, [Double], Color)] = [
            ("all S_C", analysis.layers.map(\.layerMem), OkabeIto.black.opacity(0.7)),
            ("top \(e)", analysis.layers.map(\.top), OkabeIto.vermillion),
            ("least \(e)", analysis.layers.map(\.least), OkabeIto.blue)
        ]
        let figure = layerBars(
            names: analysis.layers.map(\.name), series: series,
            yLabel: "LayerMem", width: width)
        let rows = analysis.layers.map {
            [$0.name, String($0.order), csvNumber($0.layerMem), csvNumber($0.top), csvNumber($0.least)]
        }
        return PaperFigure(
            name: "layermem_extremes",
            caption: "LayerMem per layer over all candidates, over the \(e) candidates with the highest final SSLMem "
                + "score and over the \(e) with the lowest (m̃ normalized over all candidates).",
            figure: figure, columns: ["layer", "order", "all", "top\(e)", "least\(e)"], rows: rows)
    }

    /// Grouped bars: one group per layer, one bar per series, names under the axis.
    static func layerBars(
        names: [String], series: [(String, [Double], Color)], yLabel: String,
        width: FigureWidth
    ) -> Figure {
        let style = Style(width: width)
        let values = series.flatMap(\.1).filter(\.isFinite) + [0]
        // From 0 when nothing is negative, so no empty band below the bars.
        let y =
            values.min()! >= 0
            ? Scale(0, Swift.max(values.max()! * 1.08, 1e-9)).niced()
            : Scale.covering(values, padding: 0.08).niced()
        let count = Double(series.count)
        let barWidth = 0.8 / count
        return Figure(width: width.points, height: width.points * (width.isNarrow ? 0.9 : 0.5)) { canvas in
            let longest = names.map { canvas.measure($0, size: style.tickSize, rich: false).width }.max() ?? 0
            let bounds = Rect(x: 0, y: 0, width: canvas.width, height: canvas.height - longest * 0.72)
            let axes = Axes(
                canvas: canvas, style: style, bounds: bounds, x: Scale(-0.6, Double(names.count) - 0.4), y: y,
                xLabel: nil, yLabel: yLabel, xTicks: [])
            for (s, (_, v, color)) in series.enumerated() {
                let offset = (Double(s) - (count - 1) / 2) * barWidth
                axes.bars(names.indices.map { Double($0) + offset }, v, width: barWidth * 0.92, color: color)
            }
            axes.reference(y: 0, color: .black, dash: [])
            for (i, name) in names.enumerated() {
                canvas.text(
                    name, at: Point(axes.px(Double(i)), axes.frame.maxY + style.padding), size: style.tickSize,
                    anchor: TextAnchor(.right, .middle), angle: -.pi / 4, rich: false)
            }
            let points = series.flatMap { s in s.1.enumerated().map { (Double($0.offset), $0.element) } }
            Legend(series.map { Legend.Entry($0.0, $0.2, .box) }).draw(on: axes, avoiding: points)
        }
    }
}
