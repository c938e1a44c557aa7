import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemStats

extension PaperFigure {
    /// The fewest candidates a class needs for its interval to be drawn.
    public static let classIntervalMinimum = 3

    /// Mean SSLMem score of the candidates of each class with its 95%
    /// t-interval: which classes are memorized most.
    public static func classMeans(_ table: ScoresTable, classNames: [String], width: FigureWidth) -> PaperFigure? {
        let labels = Set(
            table.label.indices.filter { table.subset[$0] == .candidate && table.label[$0] >= 0 }
                .map { table.label[$0] }
        ).sorted()
        guard !labels.isEmpty else { return nil }
        let style = Style(width: width)
        let stats = labels.map { label in
            Descriptive(
                table.index.indices.filter { table.subset[$0] == .candidate && table.label[$0] == label }
                    .map { table.score[$0] })
        }
        // No interval for a class of fewer than three candidates: with one or two points the t-interval is
        // undefined or spans most of the score's range, and would set the y axis by itself.
        let intervals = stats.map {
            $0.count >= Self.classIntervalMinimum
                ? $0.meanInterval()
                : Interval(.nan, .nan)
        }
        let small = labels.indices.filter { stats[$0].count < Self.classIntervalMinimum }
        let names = labels.map { ImagesFile.className($0, names: classNames) }
        let values = intervals.flatMap { [$0.lower, $0.upper] }.filter(\.isFinite) + stats.map(\.mean) + [0]
        let y = Scale.covering(values, padding: 0.05).niced()
        let positions = labels.indices.map(Double.init)
        let figure = Figure(width: width.points, height: width.points * (width.isNarrow ? 0.9 : 0.5)) { canvas in
            let longest = names.map { canvas.measure($0, size: style.tickSize, rich: false).width }.max() ?? 0
            let bounds = Rect(x: 0, y: 0, width: canvas.width, height: canvas.height - longest * 0.72)
            let axes = Axes(
                canvas: canvas, style: style, bounds: bounds, x: Scale(-0.6, Double(labels.count) - 0.4), y: y,
                xLabel: nil, yLabel: "mean SSLMem score of S_C", xTicks: [])
            axes.bars(
                positions, stats.map(\.mean), width: 0.7, color: OkabeIto.vermillion.opacity(0.75),
                lower: intervals.map(\.lower), upper: intervals.map(\.upper))
            axes.reference(y: 0, color: .black, dash: [])
            for (i, name) in names.enumerated() {
                canvas.text(
                    name, at: Point(axes.px(Double(i)), axes.frame.maxY + style.padding), size: style.tickSize,
                    anchor: TextAnchor(.right, .middle), angle: -.pi / 4, rich: false)
            }
        }
        let rows = labels.indices.map {
            [
                String(labels[$0]), names[$0], String(stats[$0].count), csvNumber(stats[$0].mean),
                csvNumber(intervals[$0].lower), csvNumber(intervals[$0].upper)
            ]
        }
        return PaperFigure(
            name: "class_means",
            caption: "Mean SSLMem score of the candidates per class, with 95% confidence intervals (t)"
                + (small.isEmpty
                    ? "."
                    : small.count == labels.count
                        ? "; no class has the three candidates an interval needs, so none is drawn."
                        : "; no interval for "
                            + small.map { "\(names[$0]) (n = \(stats[$0].count))" }.joined(separator: ", ")
                            + ", too few candidates."),
            figure: figure, columns: ["label", "class", "n", "mean", "ci95_low", "ci95_high"], rows: rows)
    }
}
