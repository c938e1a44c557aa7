import Foundation
import SSLMemIO
import SSLMemPlot
import SSLMemStats

extension PaperFigure {
    /// Distribution of SSLMem scores per subset (paper Fig. 2c): a Gaussian
    /// kernel density per subset (Silverman's bandwidth), light histograms under
    /// the candidate and independent curves, and each subset's mean dashed.
    public static func scoreDistribution(_ table: ScoresTable, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let subsets = Subset.allCases.filter { !table.scores(of: $0).isEmpty }
        let x = Scale.covering(table.score, padding: 0.05).niced()
        let grid = (0...200).map { x.lower + Double($0) / 200 * (x.upper - x.lower) }
        var curves: [Subset: [Double]] = [:], histograms: [Subset: [Double]] = [:]
        let binCount = 30
        let step = (x.upper - x.lower) / Double(binCount)
        let edges = (0...binCount).map { x.lower + Double($0) * step }
        for subset in subsets {
            let scores = table.scores(of: subset)
            curves[subset] = KernelDensity(scores).evaluate(at: grid)
            var counts = [Double](repeating: 0, count: binCount)
            for s in scores { counts[min(binCount - 1, max(0, Int((s - x.lower) / step)))] += 1 }
            histograms[subset] = counts.map { $0 / (Double(scores.count) * step) }
        }
        let means = Dictionary(uniqueKeysWithValues: subsets.map { ($0, Descriptive(table.scores(of: $0)).mean) })
        let top = (curves.values.flatMap { $0 } + [histograms[.candidate], histograms[.independent]].compactMap { $0 }.flatMap { $0 })
            .max() ?? 1
        let y = Scale(0, top * 1.1).niced()
        let figure = Figure(width: width.points, height: width.points * (width == .single ? 0.8 : 0.5)) { canvas in
            let axes = Axes(canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                            x: x, y: y, xLabel: "SSLMem score", yLabel: "density")
            for subset in [Subset.candidate, .independent] where histograms[subset] != nil {
                axes.histogram(edges: edges, heights: histograms[subset]!, color: SubsetStyle.color(subset).opacity(0.5),
                               filled: true, lineWidth: 0)
            }
            for subset in subsets {
                axes.line(grid, curves[subset]!, color: SubsetStyle.color(subset))
                axes.reference(x: means[subset]!, color: SubsetStyle.color(subset), dash: [3, 2])
            }
            let drawn = subsets.flatMap { s in zip(grid, curves[s]!).map { ($0, $1) } }
            Legend(subsets.map {
                Legend.Entry("\(SubsetStyle.label($0)), mean \(String(format: "%+.3f", means[$0]!).replacingOccurrences(of: "-", with: "−"))", SubsetStyle.color($0))
            }).draw(on: axes, avoiding: drawn)
        }
        let rows = grid.indices.map { i in [csvNumber(grid[i])] + subsets.map { csvNumber(curves[$0]![i]) } }
        return PaperFigure(
            name: "score_distribution",
            caption: "Distribution of SSLMem scores per subset (paper Fig. 2c): kernel density estimates, "
                + "histograms of candidates and independent points, and subset means (dashed).",
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
            let h = (n - 1) * q, low = Int(h)
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
