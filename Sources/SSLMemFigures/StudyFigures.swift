import Foundation
import SSLMemAnalysis
import SSLMemIO
import SSLMemPlot
import SSLMemStats
import SSLMemSupport

extension PaperFigure {
    /// A study's removal experiment (paper Fig. 3; the coreset of Table 17) from per-seed results: downstream
    /// accuracy against the number of points removed, top (most memorized) vs random, one panel per dataset (and
    /// one for the coreset runs when there are any). Small markers are single seeds; large markers the mean over
    /// seeds with bars for its two-sided 95% t-interval (mean ± t₀.₉₇₅,ₙ₋₁·s/√n; no bar below 2 seeds); at 0 the
    /// full encoders (kind none), where both lines start. The two kinds sit slightly left and right of each size
    /// so their seeds do not hide each other; colour, line style and marker differ for grayscale print.
    public static func removalSeeds(_ results: RemovalRuns, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        typealias Kind = RemovalRuns.Kind
        struct Panel {
            var dataset: String
            var coreset: Bool
        }
        let panels = results.datasets.flatMap { dataset -> [Panel] in
            let coreset = !results.rows(dataset, .coresetTop).isEmpty || !results.rows(dataset, .coresetRandom).isEmpty
            let removal = results.rows.contains {
                $0.dataset == dataset && [Kind.none, .top, .random].contains($0.kind)
            }
            return (removal ? [Panel(dataset: dataset, coreset: false)] : [])
                + (coreset ? [Panel(dataset: dataset, coreset: true)] : [])
        }
        let perRow = width.isNarrow ? 1 : min(2, max(1, panels.count))
        let panelRows = (panels.count + perRow - 1) / perRow
        let panelHeight = width.points / Double(perRow) * (perRow == 1 ? 0.55 : 0.72)
        let strip = style.tickSize * 2.4
        let series: [(top: Kind, random: Kind)] = [(.top, .random), (.coresetTop, .coresetRandom)]
        let looks: [(label: String, color: Color, dash: [Double], marker: Marker, side: Double)] = [
            ("most memorized (top)", OkabeIto.vermillion, [], .circle, -1),
            ("random", OkabeIto.blue, [4, 2], .square, 1)
        ]
        let figure = Figure(width: width.points, height: panelHeight * Double(panelRows) + strip) { canvas in
            let panelWidth = canvas.width / Double(perRow)
            for (i, panel) in panels.enumerated() {
                let kinds = panel.coreset ? series[1] : series[0]
                let rows = results.rows.filter {
                    $0.dataset == panel.dataset
                        && ($0.kind == kinds.top || $0.kind == kinds.random || (!panel.coreset && $0.kind == .none))
                }
                let sizes = Set(rows.map(\.removed)).sorted()
                let span = Double((sizes.last ?? 1) - (sizes.first ?? 0))
                let offset = 0.015 * max(span, 1)
                var bounds: [Double] = rows.map(\.accuracy)
                for kind in [kinds.top, kinds.random, .none] {
                    for size in sizes {
                        let m = results.mean(panel.dataset, kind, removed: size)
                        bounds += [m.interval.lower, m.interval.upper].filter(\.isFinite)
                    }
                }
                let frame = Rect(
                    x: Double(i % perRow) * panelWidth, y: Double(i / perRow) * panelHeight,
                    width: panelWidth, height: panelHeight)
                let xScale = Scale.covering([0] + sizes.map(Double.init), padding: 0.08)
                let axes = Axes(
                    canvas: canvas, style: style, bounds: frame, x: xScale,
                    y: Scale.covering(bounds, padding: 0.1).niced(),
                    xLabel: panel.coreset ? "coreset runs (size as in removal.csv)" : "points removed",
                    yLabel: i % perRow == 0 ? "downstream accuracy" : nil,
                    title: panel.dataset + (panel.coreset ? ", coreset" : ""),
                    xTicks: Set([0] + sizes).sorted().map(Double.init))
                let full = panel.coreset ? nil : results.mean(panel.dataset, .none, removed: 0)
                for (kind, look) in zip([kinds.top, kinds.random], looks) {
                    let kindRows = rows.filter { $0.kind == kind }
                    guard !kindRows.isEmpty else { continue }
                    let shift = look.side * offset
                    axes.scatter(
                        kindRows.map { Double($0.removed) + shift }, kindRows.map(\.accuracy),
                        colors: kindRows.map { _ in look.color.opacity(0.45) }, radius: style.lineWidth * 1.1,
                        marker: look.marker)
                    let kindSizes = Set(kindRows.map(\.removed)).sorted()
                    let means = kindSizes.map { results.mean(panel.dataset, kind, removed: $0) }
                    var xs = kindSizes.map { Double($0) + shift }
                    var ys = means.map(\.mean)
                    if let full, full.n > 0 {
                        xs.insert(0, at: 0)
                        ys.insert(full.mean, at: 0)
                    }
                    axes.line(xs, ys, color: look.color, dash: look.dash)
                    let withBars = zip(kindSizes, means).filter { $0.1.interval.lower.isFinite }
                    axes.errorBars(
                        withBars.map { Double($0.0) + shift }, lower: withBars.map(\.1.interval.lower),
                        upper: withBars.map(\.1.interval.upper), color: look.color, cap: style.lineWidth * 2.5)
                    axes.scatter(
                        kindSizes.map { Double($0) + shift }, means.map(\.mean),
                        colors: means.map { _ in look.color }, radius: style.lineWidth * 2.2, marker: look.marker)
                }
                if let full, full.n > 0 {
                    let seeds = rows.filter { $0.kind == .none }
                    axes.scatter(
                        seeds.map { _ in 0 }, seeds.map(\.accuracy),
                        colors: seeds.map { _ in Color.black.opacity(0.4) },
                        radius: style.lineWidth * 1.1, marker: .diamond)
                    if full.interval.lower.isFinite {
                        axes.errorBars(
                            [0], lower: [full.interval.lower], upper: [full.interval.upper], color: .black,
                            cap: style.lineWidth * 2.5)
                    }
                    axes.scatter([0], [full.mean], colors: [.black], radius: style.lineWidth * 2.2, marker: .diamond)
                }
            }
            var entries = looks.map { Legend.Entry($0.label, $0.color, .lineMarker($0.dash, $0.marker)) }
            if results.rows.contains(where: { $0.kind == .none }) {
                entries.append(Legend.Entry("full encoder (none)", .black, .marker(.diamond)))
            }
            Legend(entries).drawRow(
                on: canvas, style: style, centeredAt: Point(canvas.width / 2, canvas.height - strip / 2))
        }
        var csvRows: [[String]] = results.rows.map {
            [$0.dataset, $0.kind.rawValue, String($0.removed), $0.seed, csvNumber($0.accuracy), "", ""]
        }
        for dataset in results.datasets {
            for kind in Kind.allCases {
                for size in Set(results.rows(dataset, kind).map(\.removed)).sorted() {
                    let m = results.mean(dataset, kind, removed: size)
                    csvRows.append([
                        dataset, kind.rawValue, String(size), "mean of \(m.n)", csvNumber(m.mean),
                        csvNumber(m.interval.lower), csvNumber(m.interval.upper)
                    ])
                }
            }
        }
        return PaperFigure(
            name: "removal",
            caption: "Downstream accuracy after retraining without the most memorized (top) or as many random points "
                + "(paper Fig. 3): small markers are single seeds, large markers the mean over seeds with its 95% "
                + "t-interval; at 0 the full encoders"
                + (panels.contains(where: \.coreset)
                    ? "; coreset panels: encoders trained only on a coreset of the most "
                        + "memorized or random points (Table 17)." : "."),
            figure: figure, columns: ["dataset", "kind", "removed", "seed", "accuracy", "ci95_low", "ci95_high"],
            rows: csvRows)
    }

    /// SSLMem against downstream accuracy across setups (the link behind paper Table 1): each run (seed) a small
    /// marker, each setup's mean over its seeds a large one, one colour per setup; the title gives Kendall's τ-b
    /// over setups with its bootstrap interval over seeds (`AccuracyLink`).
    public static func accuracyLink(_ link: AccuracyLink, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let height = width.points * (width.isNarrow ? 0.85 : 0.5)
        let figureWidth = width.isNarrow ? width.points : min(width.points, height * 1.5)
        let colors = link.setups.indices.map { OkabeIto.sequence[$0 % OkabeIto.sequence.count] }
        let markers: [Marker] = [.circle, .square, .triangle, .diamond]
        let title =
            link.tau.isFinite
            ? "τ-b over \(link.nSetups) setups = \(NumberFormat.fixed(link.tau, 2)) [\(NumberFormat.fixed(link.ci95[0], 2)), "
                + "\(NumberFormat.fixed(link.ci95[1], 2))], p = \(NumberFormat.pValue(link.p))"
            : "τ-b not computable over \(link.nSetups) setup\(link.nSetups == 1 ? "" : "s")"
        let legend = Legend(
            link.setups.enumerated().map {
                Legend.Entry(
                    $0.element.setup + " (\($0.element.seeds) seed\($0.element.seeds == 1 ? "" : "s"))",
                    colors[$0.offset],
                    .marker(markers[$0.offset % markers.count]), rich: false)
            })
        let strip = style.tickSize * 1.5 * Double(link.setups.count) + style.padding
        let figure = Figure(width: figureWidth, height: height + strip) { canvas in
            let xs = link.runs.map(\.sslmem) + link.setups.map(\.meanSSLMem)
            let ys = link.runs.map(\.accuracy) + link.setups.map(\.meanAccuracy)
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: height),
                x: Scale.covering(xs, padding: 0.1).niced(), y: Scale.covering(ys, padding: 0.1).niced(),
                xLabel: "SSLMem of the candidates (mean score)", yLabel: "downstream accuracy", title: title)
            for (i, setup) in link.setups.enumerated() {
                let runs = link.runs.filter { $0.setup == setup.setup }
                let marker = markers[i % markers.count]
                axes.scatter(
                    runs.map(\.sslmem), runs.map(\.accuracy), colors: runs.map { _ in colors[i].opacity(0.45) },
                    radius: style.lineWidth * 1.4, marker: marker)
                axes.scatter(
                    [setup.meanSSLMem], [setup.meanAccuracy], colors: [colors[i]], radius: style.lineWidth * 2.6,
                    marker: marker)
            }
            for (i, entry) in legend.entries.enumerated() {
                Legend([entry]).drawRow(
                    on: canvas, style: style,
                    centeredAt: Point(
                        canvas.width / 2, height + style.padding + style.tickSize * 1.5 * (Double(i) + 0.5)))
            }
        }
        let rows =
            link.runs.map { [$0.setup, $0.name, csvNumber($0.sslmem), csvNumber($0.accuracy)] }
            + link.setups.map {
                [$0.setup, "mean of \($0.seeds)", csvNumber($0.meanSSLMem), csvNumber($0.meanAccuracy)]
            }
        return PaperFigure(
            name: "sslmem_vs_accuracy",
            caption:
                "Memorization (mean SSLMem score of the candidates) against downstream accuracy: small markers are "
                + "single runs (seeds), large markers each setup's mean over its seeds; Kendall's τ-b over the setup "
                + "means with its 95% bootstrap interval over seeds.",
            figure: figure, columns: ["setup", "run", "sslmem", "downstream_accuracy"], rows: rows)
    }
}
