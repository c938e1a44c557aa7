import SSLMemAnalysis
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemStats

/// One line of a gap figure (memorization over training, sweeps): the candidate − `reference` gap in
/// unnormalized diff at each x, with its 95% interval drawn as an error bar. Only draws: the gaps and
/// intervals come from SSLMemAnalysis (`MemorizationGap`, `RunGroup.gap(over:)`).
struct GapSeries {
    var reference: Subset
    var xs: [Double]
    var gaps: [Double]
    var lower: [Double]
    var upper: [Double]

    /// "S_C − S_I": the legend's name of the series.
    var label: String { "S_C − " + (reference == .independent ? "S_I" : reference == .extra ? "S_E" : "S_S") }

    /// Every value the axis must hold: gaps, finite bounds and 0.
    static func extent(_ series: [GapSeries]) -> [Double] {
        series.flatMap { $0.gaps + $0.lower + $0.upper }.filter(\.isFinite) + [0]
    }

    /// Draws each series (the reference subset's colour, line style and marker), the 95% intervals as
    /// error bars nudged apart in x so they do not overlap, a solid zero line (no gap), and a legend.
    static func draw(_ series: [GapSeries], on axes: Axes, style: Style) {
        axes.reference(y: 0, color: .grey, dash: [])
        // Neighbouring series' bars sit one cap width (plus a point) apart, whatever the figure's width.
        let cap = style.tickLength * 1.2
        let nudge = (cap + 1) / axes.frame.width * (axes.x.upper - axes.x.lower)
        var drawn: [(Double, Double)] = []
        for (k, s) in series.enumerated() {
            let shift = (Double(k) - Double(series.count - 1) / 2) * nudge
            let xs = s.xs.map { $0 + shift }
            let color = SubsetStyle.color(s.reference)
            axes.errorBars(xs, lower: s.lower, upper: s.upper, color: color, cap: cap,
                           width: style.lineWidth * 0.7)
            axes.line(xs, s.gaps, color: color, width: style.lineWidth, dash: SubsetStyle.dash(s.reference))
            axes.scatter(xs, s.gaps, colors: xs.map { _ in color }, radius: style.lineWidth * 1.6,
                         marker: SubsetStyle.marker(s.reference))
            drawn += zip(xs, s.gaps).map { ($0, $1) } + zip(xs, s.lower).map { ($0, $1) } + zip(xs, s.upper).map { ($0, $1) }
        }
        Legend(series.map {
            Legend.Entry($0.label + " (95% CI)", SubsetStyle.color($0.reference),
                         .lineMarker(SubsetStyle.dash($0.reference), SubsetStyle.marker($0.reference)))
        }).draw(on: axes, avoiding: drawn)
    }

    /// The y axis label of a gap panel.
    static let axisLabel = "gap in mean diff = A_g − A_f"
}
