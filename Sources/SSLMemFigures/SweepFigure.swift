import SSLMemPlot

extension PaperFigure {
    /// A quantity against a swept run attribute (paper Fig. 4: memorization vs
    /// alignment regularization λ; Tables 5 and 9 as figures): the mean over
    /// runs at each value, with ± one standard deviation over seeds as error bars
    /// where a value has several runs.
    public static func sweep(
        name: String, attribute: String, values: [Double], means: [Double], deviations: [Double?], quantity: String,
        caption: String, width: FigureWidth
    ) -> PaperFigure {
        let style = Style(width: width)
        let low = zip(means, deviations).map { $0 - ($1 ?? 0) }, high = zip(means, deviations).map { $0 + ($1 ?? 0) }
        let figure = Figure(width: width.points, height: width.points * (width == .single ? 0.75 : 0.45)) { canvas in
            let axes = Axes(canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                            x: Scale.covering(values, padding: 0.05).niced(),
                            y: Scale.covering(low + high, padding: 0.1).niced(), xLabel: attribute, yLabel: quantity)
            axes.line(values, means, color: OkabeIto.vermillion, width: style.lineWidth * 1.3)
            for (i, deviation) in deviations.enumerated() where deviation != nil {
                axes.line([values[i], values[i]], [low[i], high[i]], color: OkabeIto.vermillion)
            }
            axes.scatter(values, means, colors: Array(repeating: OkabeIto.vermillion, count: values.count),
                         radius: style.lineWidth * 2.2)
        }
        let rows = values.indices.map { i in
            [csvNumber(values[i]), csvNumber(means[i]), deviations[i].map(csvNumber) ?? ""]
        }
        return PaperFigure(name: name, caption: caption, figure: figure, columns: [attribute, "mean", "std_over_seeds"],
                           rows: rows)
    }
}
