import SSLMemPlot

extension PaperFigure {
    /// Memorization over training (paper Fig. 2b): mean SSLMem score of the
    /// candidates and of their top 10% per epoch; below, the training losses.
    public static func memorizationOverEpochs(_ series: TrainingSeries, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let epochs = series.epochs.map { Double($0.epoch) }
        let logEpochs = series.losses.flatMap(\.epochs)
        let lastEpoch = max(epochs.max() ?? 1, logEpochs.max() ?? 1)
        let x = Scale(0, lastEpoch).niced()
        let values: [Double] = series.epochs.flatMap { e -> [Double] in [e.candidateMean, e.candidateTop10, e.independentMean] } + [0]
        let y = Scale.covering(values, padding: 0.08).niced()
        let hasLoss = !series.losses.isEmpty
        let figure = Figure(width: width.points, height: width.points * (hasLoss ? 1.15 : 0.75)) { canvas in
            let upper = Rect(x: 0, y: 0, width: canvas.width, height: hasLoss ? canvas.height * 0.6 : canvas.height)
            let axes = Axes(canvas: canvas, style: style, bounds: upper, x: x, y: y,
                            xLabel: hasLoss ? nil : "epoch", yLabel: "SSLMem score")
            axes.reference(y: 0, color: .grey)
            let lines: [(String, Color, [Double])] = [
                ("top 10% of S_C", OkabeIto.reddishPurple, series.epochs.map(\.candidateTop10)),
                ("mean of S_C", OkabeIto.vermillion, series.epochs.map(\.candidateMean)),
                ("mean of S_I", OkabeIto.blue, series.epochs.map(\.independentMean)),
            ]
            for (_, color, ys) in lines {
                axes.line(epochs, ys, color: color)
                axes.scatter(epochs, ys, colors: ys.map { _ in color }, radius: style.lineWidth * 1.6)
            }
            Legend(lines.map { Legend.Entry($0.0, $0.1) })
                .draw(on: axes, avoiding: lines.flatMap { line in zip(epochs, line.2).map { ($0, $1) } })
            guard hasLoss else { return }
            let losses = series.losses.flatMap(\.values)
            let lower = Rect(x: 0, y: upper.maxY, width: canvas.width, height: canvas.height - upper.maxY)
            let lossAxes = Axes(canvas: canvas, style: style, bounds: lower, x: x,
                                y: Scale.covering(losses, padding: 0.05).niced(), xLabel: "epoch", yLabel: "training loss")
            for (i, loss) in series.losses.enumerated() {
                lossAxes.line(loss.epochs, loss.values, color: i == 0 ? OkabeIto.vermillion : OkabeIto.blue,
                              width: style.lineWidth * 0.8)
            }
            for epoch in epochs { lossAxes.reference(x: epoch, color: .lightGrey, dash: [2, 2]) }
            Legend(series.losses.enumerated().map { Legend.Entry($1.name, $0 == 0 ? OkabeIto.vermillion : OkabeIto.blue, rich: false) })
                .draw(on: lossAxes, avoiding: series.losses.flatMap { loss in zip(loss.epochs, loss.values).map { ($0, $1) } })
        }
        var rows = series.epochs.map {
            ["sslmem", String($0.epoch), csvNumber($0.candidateMean), csvNumber($0.candidateTop10),
             csvNumber($0.independentMean), ""]
        }
        for loss in series.losses {
            rows += zip(loss.epochs, loss.values).map { ["loss:" + loss.name, String(Int($0)), "", "", "", csvNumber($1)] }
        }
        return PaperFigure(
            name: "memorization_over_epochs",
            caption: "Memorization over training (paper Fig. 2b): mean SSLMem score of the candidates, of their "
                + "top 10% and of the independent points per checkpoint. Scores are range-normalized within each checkpoint, "
                + "so compare the gap between the curves, not their level across checkpoints"
                + (hasLoss ? "; training losses below." : "."),
            figure: figure,
            columns: ["series", "epoch", "candidate_mean", "candidate_top10", "independent_mean", "loss"], rows: rows)
    }
}
