import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
import SSLMemPlot

extension PaperFigure {
    /// Memorization over training (paper Fig. 2b), as gaps: at each checkpoint, the candidates' mean
    /// unnormalized diff = A_g − A_f minus the independent points' (S_C − S_I) and minus the extra points'
    /// (S_C − S_E), each with a two-sided 95% Welch interval of the difference of means (`MemorizationGap`:
    /// Welch–Satterthwaite ν, t quantile from SSLMemStats). Below, on the same x axis and with the same
    /// plot-area edges, the training losses of f and g.
    ///
    /// Not the paper's mean score per checkpoint: each checkpoint is range-normalized on its own and f and g
    /// may differ in overall alignment at a checkpoint (an offset that moves every point's diff alike), so the
    /// candidates' raw mean can fall while the independent points fall just as much (on the fixture, to −0.12
    /// at epoch 26 with a flat gap). The gap cancels the offset and holds no per-checkpoint range.
    public static func memorizationOverEpochs(_ series: TrainingSeries, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let epochs = series.epochs.map { Double($0.epoch) }
        let gapSeries: [GapSeries] = [Subset.independent, .extra].compactMap { reference in
            let gaps = series.epochs.map { $0.gap(over: reference) }
            guard gaps.contains(where: { $0 != nil }) else { return nil }
            return GapSeries(
                reference: reference, xs: epochs, gaps: gaps.map { $0?.gap ?? .nan },
                lower: gaps.map { $0?.interval.lower ?? .nan }, upper: gaps.map { $0?.interval.upper ?? .nan })
        }
        let logEpochs = series.losses.flatMap(\.epochs)
        let lastEpoch = max(epochs.max() ?? 1, logEpochs.max() ?? 1)
        // Room right of the last epoch when it is the axis' end, so its markers and error bars (nudged apart in
        // x) are not cut at the edge: the final model usually sits there.
        var x = Scale(0, lastEpoch).niced()
        if x.upper <= lastEpoch * 1.01 { x = Scale(0, lastEpoch * 1.03) }
        let y = Scale.covering(GapSeries.extent(gapSeries), padding: 0.08).niced()
        let hasLoss = !series.losses.isEmpty
        let losses = series.losses.flatMap(\.values)
        let lossY = Scale.covering(losses, padding: 0.05).niced()
        let lossStyles: [(Color, [Double])] = [
            (OkabeIto.vermillion, []), (OkabeIto.blue, [4, 2]), (OkabeIto.black, [1, 1.5]),
            (OkabeIto.bluishGreen, [5, 1.5, 1, 1.5])
        ]
        let height = width.points * (hasLoss ? (width.isNarrow ? 1.15 : 0.8) : (width.isNarrow ? 0.75 : 0.5))
        let figure = Figure(width: width.points, height: height) { canvas in
            let gapLabel = GapSeries.axisLabel
            let lossLabel = "training loss"
            // One left edge for both panels, so they share the x axis exactly.
            let left = max(
                Axes.leftMargin(canvas: canvas, style: style, y: y, yLabel: gapLabel),
                hasLoss ? Axes.leftMargin(canvas: canvas, style: style, y: lossY, yLabel: lossLabel) : 0)
            let upper = Rect(x: 0, y: 0, width: canvas.width, height: hasLoss ? canvas.height * 0.6 : canvas.height)
            let axes = Axes(
                canvas: canvas, style: style, bounds: upper, x: x, y: y,
                xLabel: hasLoss ? nil : "epoch", yLabel: gapLabel, left: left)
            GapSeries.draw(
                gapSeries, on: axes, style: style,
                annotation: series.final.map { (Double($0.epoch), "final model") })
            guard hasLoss else { return }
            let lower = Rect(x: 0, y: upper.maxY, width: canvas.width, height: canvas.height - upper.maxY)
            let lossAxes = Axes(
                canvas: canvas, style: style, bounds: lower, x: x, y: lossY, xLabel: "epoch",
                yLabel: lossLabel, left: left)
            for epoch in epochs { lossAxes.reference(x: epoch, color: .lightGrey, dash: [2, 2]) }
            for (i, loss) in series.losses.enumerated() {
                let (color, dash) = lossStyles[i % lossStyles.count]
                lossAxes.line(loss.epochs, loss.values, color: color, width: style.lineWidth * 0.9, dash: dash)
            }
            Legend(
                series.losses.enumerated().map { i, loss in
                    Legend.Entry(
                        "loss of " + loss.name, lossStyles[i % lossStyles.count].0,
                        .pattern(lossStyles[i % lossStyles.count].1),
                        rich: series.losses.count <= 2)  // "f (trained on S_C)"; more logs keep file names
                }
            ).draw(
                on: lossAxes, avoiding: series.losses.flatMap { loss in zip(loss.epochs, loss.values).map { ($0, $1) } }
            )
        }
        var rows: [[String]] = []
        for epoch in series.epochs {
            for gap in epoch.gaps {
                rows.append([
                    epoch.isFinal ? "gap: final model" : "gap", String(epoch.epoch), gap.reference.description,
                    csvNumber(gap.gap), csvNumber(gap.interval.lower), csvNumber(gap.interval.upper),
                    csvNumber(gap.degreesOfFreedom), "", String(gap.candidates), String(gap.references)
                ])
            }
        }
        for loss in series.losses {
            rows += zip(loss.epochs, loss.values).map {
                ["loss: " + loss.name, String(Int($0)), "", "", "", "", "", csvNumber($1), "", ""]
            }
        }
        let checkpoints = series.epochs.filter { !$0.isFinal }.map { String($0.epoch) }
        let finalSentence =
            series.final.map { final in
                " The last point, epoch \(final.epoch) (marked \"final model\"), is the run's final f and g, whose scores "
                    + "the rest of the report shows; the others are the checkpoints at epoch"
                    + (checkpoints.count == 1 ? " " : "s ") + Self.list(checkpoints) + "."
                    + (series.finalSizeNote.map { " " + $0 } ?? "")
            } ?? ""
        return PaperFigure(
            name: "memorization_over_epochs",
            caption: "Memorization over training (paper Fig. 2b): per checkpoint, the gap between the candidates' mean "
                + "diff = A_g − A_f (unnormalized) and that of the independent points (S_C − S_I) and of the extra points "
                + "(S_C − S_E), with two-sided 95% Welch confidence intervals; above 0, f's advantage over g in alignment "
                + "is larger on the candidates (which f trained on) than on the reference points. The paper's mean score per checkpoint is not shown: each "
                + "checkpoint's scores are range-normalized on their own and f and g can differ in overall alignment at "
                + "a checkpoint, which moves every subset's mean alike, so the raw mean can fall while the gap stays put"
                + (hasLoss ? ". Below: the training losses of f and g." : ".") + finalSentence,
            figure: figure,
            columns: [
                "series", "epoch", "reference", "gap", "ci95_low", "ci95_high", "df", "loss", "n_candidates",
                "n_reference"
            ], rows: rows)
    }

    /// "8, 26 and 53".
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
