import Foundation
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemStats

extension PaperFigure {
    /// Distribution of SSLMem scores per subset (paper Fig. 2c): a Gaussian kernel density per subset
    /// (Silverman's bandwidth) drawn as a line in the subset's colour and line style (so the four stay
    /// apart in grayscale print and nothing is filled that could blend), each subset's mean marked by its
    /// marker on its own curve (means that lie close together do not pile up on one vertical line), and the
    /// means' values in the legend. The x axis spans the scores' range (5% margins), not [−1, 1].
    public static func scoreDistribution(_ table: ScoresTable, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let subsets = Subset.allCases.filter { !table.scores(of: $0).isEmpty }
        let x = Scale.covering(table.score, padding: 0.05)
        let grid = (0...200).map { x.lower + Double($0) / 200 * (x.upper - x.lower) }
        var curves: [Subset: [Double]] = [:]
        var peaks: [Subset: Double] = [:]
        let means = Dictionary(uniqueKeysWithValues: subsets.map { ($0, Descriptive(table.scores(of: $0)).mean) })
        for subset in subsets {
            let density = KernelDensity(table.scores(of: subset))
            curves[subset] = density.evaluate(at: grid)
            peaks[subset] = density.evaluate(at: [means[subset]!])[0]
        }
        let top = curves.values.flatMap { $0 }.max() ?? 1
        let legend = Legend(
            subsets.map {
                Legend.Entry(
                    "\(SubsetStyle.label($0)), mean \(String(format: "%+.3f", means[$0]!).replacingOccurrences(of: "-", with: "−"))",
                    SubsetStyle.color($0), .lineMarker(SubsetStyle.dash($0), SubsetStyle.marker($0)))
            })
        let height = width.points * (width.isNarrow ? 0.8 : 0.5)
        // Room above the curves for the legend, so it hides neither a curve nor a mean.
        let frameHeight = height - style.tickLength - 3 * style.padding - style.tickSize * 1.8 - style.labelSize * 1.4
        let y = Scale(0, legend.headroom(dataTop: top, frameHeight: frameHeight, style: style)).niced()
        let figure = Figure(width: width.points, height: height) { canvas in
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                x: x, y: y, xLabel: "SSLMem score", yLabel: "density")
            axes.reference(x: 0, color: .lightGrey, dash: [])
            for subset in subsets {
                axes.line(
                    grid, curves[subset]!, color: SubsetStyle.color(subset),
                    width: style.lineWidth * (subset == .candidate ? 1.25 : 1), dash: SubsetStyle.dash(subset))
            }
            for subset in subsets {
                let at = axes.point(means[subset]!, peaks[subset]!)
                axes.canvas.marker(SubsetStyle.marker(subset), at: at, radius: style.lineWidth * 2.1, color: .white)
                axes.canvas.marker(
                    SubsetStyle.marker(subset), at: at, radius: style.lineWidth * 1.6,
                    color: SubsetStyle.color(subset), lineWidth: style.axisWidth * 1.5)
            }
            let drawn = subsets.flatMap { s in zip(grid, curves[s]!).map { ($0, $1) } }
            legend.draw(on: axes, avoiding: drawn)
        }
        let rows = grid.indices.map { i in [csvNumber(grid[i])] + subsets.map { csvNumber(curves[$0]![i]) } }
        return PaperFigure(
            name: "score_distribution",
            caption:
                "Distribution of SSLMem scores per subset (paper Fig. 2c): kernel density estimates, one line style "
                + "per subset; each subset's mean is marked on its curve and given in the legend.",
            figure: figure, columns: ["score"] + subsets.map { "density_\($0)" }, rows: rows)
    }
}

/// Gaussian kernel density estimate with Silverman's rule of thumb,
/// h = 0.9·min(s, IQR/1.34)·n^(−1/5).
struct KernelDensity {
    let values: [Double]
    let bandwidth: Double

    init(_ values: [Double]) {
        self.values = values
        let sorted = values.sorted()
        let n = Double(values.count)
        func quantile(_ q: Double) -> Double {
            let h = (n - 1) * q
            let low = Int(h)
            return sorted[low] + (h - Double(low)) * (sorted[min(low + 1, sorted.count - 1)] - sorted[low])
        }
        let sd = Descriptive(values).standardDeviation
        let spread = min(sd.isNaN ? .infinity : sd, (quantile(0.75) - quantile(0.25)) / 1.34)
        bandwidth = spread.isFinite && spread > 0 ? 0.9 * spread * pow(n, -0.2) : 1e-3
    }

    func evaluate(at grid: [Double]) -> [Double] {
        let norm = 1 / (Double(values.count) * bandwidth * (2 * Double.pi).squareRoot())
        return grid.map { x in
            values.reduce(0) { sum, v in
                let z = (x - v) / bandwidth
                return sum + exp(-0.5 * z * z)
            } * norm
        }
    }
}
