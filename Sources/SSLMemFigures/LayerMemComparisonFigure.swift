import SSLMemPlot

extension PaperFigure {
    /// LayerMem per layer for several runs side by side (one bar per run in each layer's group).
    /// `values[layer][run]`, NaN where a run lacks the layer.
    public static func layerMemComparison(
        layers: [String], runs: [String], values: [[Double]],
        width: FigureWidth
    ) -> PaperFigure {
        let series = runs.indices.map { r in
            (runs[r], layers.indices.map { values[$0][r] }, OkabeIto.sequence[r % OkabeIto.sequence.count])
        }
        let figure = layerBars(names: layers, series: series, yLabel: "LayerMem", width: width)
        let rows = layers.indices.map { l in [layers[l]] + runs.indices.map { csvNumber(values[l][$0]) } }
        return PaperFigure(
            name: "layermem_comparison",
            caption: "LayerMem per layer (input to output) for each run: where in the encoder each run memorizes its "
                + "candidates.",
            figure: figure, columns: ["layer"] + runs, rows: rows)
    }
}
