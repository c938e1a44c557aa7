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
    /// `annotation`: a short label set above the highest interval at its x (below the lowest when there is no
    /// room above), which the legend avoids, e.g. "final model" at the last epoch of Fig. 2b.
    static func draw(_ series: [GapSeries], on axes: Axes, style: Style, annotation: (x: Double, text: String)? = nil) {
        axes.reference(y: 0, color: .grey, dash: [])
        // Neighbouring series' bars sit one cap width (plus a point) apart, whatever the figure's width.
        let cap = style.tickLength * 1.2
        let nudge = (cap + 1) / axes.frame.width * (axes.x.upper - axes.x.lower)
        var drawn: [(Double, Double)] = []
        for (k, s) in series.enumerated() {
            let shift = (Double(k) - Double(series.count - 1) / 2) * nudge
            let xs = s.xs.map { $0 + shift }
            let color = SubsetStyle.color(s.reference)
            axes.errorBars(
                xs, lower: s.lower, upper: s.upper, color: color, cap: cap,
                width: style.lineWidth * 0.7)
            axes.line(xs, s.gaps, color: color, width: style.lineWidth, dash: SubsetStyle.dash(s.reference))
            axes.scatter(
                xs, s.gaps, colors: xs.map { _ in color }, radius: style.lineWidth * 1.6,
                marker: SubsetStyle.marker(s.reference))
            drawn +=
                zip(xs, s.gaps).map { ($0, $1) } + zip(xs, s.lower).map { ($0, $1) } + zip(xs, s.upper).map { ($0, $1) }
        }
        if let annotation {
            let at = series.flatMap { s in
                s.xs.indices.filter { s.xs[$0] == annotation.x }
                    .flatMap { [s.gaps[$0], s.lower[$0], s.upper[$0]] }
            }.filter(\.isFinite)
            if let high = at.max(), let low = at.min() {
                let c = axes.canvas
                let size = style.tickSize
                let textWidth = c.measure(annotation.text, size: size).width
                let textHeight = size * 1.1
                let gap = style.padding + style.tickLength
                let above = axes.py(high) - gap - textHeight >= axes.frame.y
                let baseline = above ? axes.py(high) - gap : axes.py(low) + gap + textHeight * 0.8
                var x = axes.px(annotation.x)
                x = min(max(x, axes.frame.x + textWidth / 2), axes.frame.maxX - textWidth / 2)
                c.text(
                    annotation.text, at: Point(x, baseline), size: size, anchor: TextAnchor(.center, .baseline),
                    color: .black)
                // The label's box in data units, for the legend to avoid.
                let dy = (axes.y.upper - axes.y.lower) / axes.frame.height
                let dx = (axes.x.upper - axes.x.lower) / axes.frame.width
                let top = axes.y.upper - (baseline - textHeight - axes.frame.y) * dy
                let bottom = axes.y.upper - (baseline - axes.frame.y) * dy
                let middle = axes.x.lower + (x - axes.frame.x) * dx
                for fx in [-0.5, 0, 0.5] {
                    for vy in [top, bottom] { drawn.append((middle + fx * textWidth * dx, vy)) }
                }
            }
        }
        Legend(
            series.map {
                Legend.Entry(
                    $0.label + " (95% CI)", SubsetStyle.color($0.reference),
                    .lineMarker(SubsetStyle.dash($0.reference), SubsetStyle.marker($0.reference)))
            }
        ).draw(on: axes, avoiding: drawn)
    }

    /// The y axis label of a gap panel.
    static let axisLabel = "gap in mean diff = A_g − A_f"
}
