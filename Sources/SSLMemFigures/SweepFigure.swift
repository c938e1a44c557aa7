import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
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
        let low = zip(means, deviations).map { $0 - ($1 ?? 0) }
        let high = zip(means, deviations).map { $0 + ($1 ?? 0) }
        let figure = Figure(width: width.points, height: width.points * (width.isNarrow ? 0.75 : 0.45)) { canvas in
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                x: Scale.covering(values, padding: 0.05).niced(),
                y: Scale.covering(low + high, padding: 0.1).niced(), xLabel: attribute, yLabel: quantity)
            axes.line(values, means, color: OkabeIto.vermillion, width: style.lineWidth * 1.3)
            for (i, deviation) in deviations.enumerated() where deviation != nil {
                axes.line([values[i], values[i]], [low[i], high[i]], color: OkabeIto.vermillion)
            }
            axes.scatter(
                values, means, colors: Array(repeating: OkabeIto.vermillion, count: values.count),
                radius: style.lineWidth * 2.2)
        }
        let rows = values.indices.map { i in
            [csvNumber(values[i]), csvNumber(means[i]), deviations[i].map(csvNumber) ?? ""]
        }
        return PaperFigure(
            name: name, caption: caption, figure: figure, columns: [attribute, "mean", "std_over_seeds"],
            rows: rows)
    }
}

extension PaperFigure {
    /// Memorization against a swept run attribute as gaps (the sweep form of paper Fig. 4): at each value,
    /// the candidates' mean unnormalized diff = A_g − A_f minus the independent points' and minus the extra
    /// points', with two-sided 95% intervals (`RunGroup.gap(over:)`: one run per value → Welch's interval of
    /// the difference of means, t from SSLMemStats; several seeds → the t-interval of the mean of the seeds'
    /// gaps). The caption says why this replaces the mean range-normalized score.
    public static func sweepGaps(
        name: String, attribute: String, values: [Double], groups: [RunGroup],
        width: FigureWidth
    ) -> PaperFigure {
        let style = Style(width: width)
        let series: [GapSeries] = [Subset.independent, .extra].compactMap { reference in
            let gaps = groups.map { $0.gap(over: reference) }
            guard gaps.contains(where: { $0 != nil }) else { return nil }
            return GapSeries(
                reference: reference, xs: values, gaps: gaps.map { $0?.gap ?? .nan },
                lower: gaps.map { $0?.interval.lower ?? .nan }, upper: gaps.map { $0?.interval.upper ?? .nan })
        }
        let x = Scale.covering(values, padding: 0.06)  // the swept values' range, not nice numbers around it
        let y = Scale.covering(GapSeries.extent(series), padding: 0.08).niced()
        let figure = Figure(width: width.points, height: width.points * (width.isNarrow ? 0.75 : 0.45)) { canvas in
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                x: x, y: y, xLabel: attribute, yLabel: GapSeries.axisLabel)
            GapSeries.draw(series, on: axes, style: style)
        }
        var rows: [[String]] = []
        for (value, group) in zip(values, groups) {
            for reference in [Subset.independent, .extra] {
                guard let gap = group.gap(over: reference) else { continue }
                rows.append([
                    csvNumber(value), reference.description, csvNumber(gap.gap), csvNumber(gap.interval.lower),
                    csvNumber(gap.interval.upper), String(gap.runs)
                ])
            }
        }
        return PaperFigure(
            name: name,
            caption: "Memorization against \(attribute): the gap between the candidates' mean diff = A_g − A_f "
                + "(unnormalized) and that of the independent points (S_C − S_I) and of the extra points (S_C − S_E), "
                + "with two-sided 95% confidence intervals (Welch's for one run per value; over the seeds where there "
                + "are several). The mean range-normalized score of the candidates is not plotted: each run is "
                + "range-normalized on its own and f and g can differ in overall alignment, which moves every subset "
                + "alike, so the raw mean can shift while the gap does not.",
            figure: figure, columns: [attribute, "reference", "gap", "ci95_low", "ci95_high", "runs"], rows: rows)
    }
}
