import ArgumentParser
import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemSupport

struct LayersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract:
            "LayerMem and ΔLayerMem of every layer in /layers (Wang et al., NeurIPS 2024), with layer consistency.",
        discussion: """
            Per layer: a_M(x) = alignment of x on that layer's flattened outputs for encoder M (original: mean over \
            views of ‖u(o) − u(v_k)‖₂, the released code; all-pairs: the paper's Eq. 1), averaged over the --f or \
            --g files; m(x) = a_g(x) − a_f(x); over the candidates C, m̃ = m / (max_C m − min_C m); \
            LayerMem = mean_C m̃; ΔLayerMem = LayerMem − LayerMem of the previous layer in order (the first \
            layer's is its LayerMem). Layer consistency: Kendall's tau-b of m(x) between every pair of layers and \
            their top-X overlap. Top/least: mean m̃ over the candidates with the highest/lowest final SSLMem \
            score (from /views).
            """)

    @OptionGroup var encoders: EncoderFiles

    @OptionGroup var choice: ConventionChoice

    @OptionGroup var bootstrap: BootstrapChoice

    @Option(
        help: ArgumentHelp(
            "Sizes X of the top-X overlap between layers, comma-separated (default: the conventions' 10,20,50,75,100,150,200; sizes above the number of candidates are skipped).",
            valueName: "x,x,…"))
    var top: String?

    @Option(
        help:
            "How many of the most and least memorized candidates (final SSLMem score) the top/least LayerMem averages over (default: a quarter of the candidates, at most 50)."
    )
    var extremes: Int?

    @Option(help: "Worker threads (default: all cores, or SSLMEM_THREADS).")
    var threads: Int?

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Option(
        help:
            "Also write the LayerMem figures (profile, top/least, layer Kendall heatmap) as PDF, SVG, PNG and CSV into this folder."
    )
    var figures: String?

    @OptionGroup var output: ForceOption

    @OptionGroup var figureSize: FigureSizeOptions

    var width: FigureWidth { figureSize.figureWidth }

    func validate() throws {
        try encoders.requireBoth()
        if let top {
            guard let sizes = Optional(top.split(separator: ",").compactMap { Int($0) }), !sizes.isEmpty,
                sizes.count == top.split(separator: ",").count, sizes.allSatisfy({ $0 >= 1 })
            else {
                throw ValidationError("--top takes positive whole numbers, comma-separated")
            }
        }
        if let extremes, extremes < 1 { throw ValidationError("--extremes must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        if let figures {
            try OutputGuard.checkFolder(figures, kind: "figures", inputs: encoders.f + encoders.g, force: output.force)
        }
        Progress.show("reading \(encoders.f.count + encoders.g.count) files layer by layer")
        var conventions = choice.conventions
        bootstrap.apply(to: &conventions)
        let analysis = try LayerMem.analyze(
            f: encoders.f, g: encoders.g, options: conventions.alignment, extremes: extremes,
            rangeOver: conventions.rangeOver, workers: threads ?? FileAlignment.defaultWorkers)
        Progress.done()
        let sizes =
            top.map { $0.split(separator: ",").compactMap { Int($0) } }
            ?? conventions.topX(fitting: analysis.candidates.count)
        let consistency = LayerConsistency(analysis, tops: sizes)
        let intervals = LayerIntervals(analysis, conventions: conventions)
        let findings = LayerFindings(analysis, intervals: intervals)
        if let figures {
            let list: [PaperFigure] = [
                .layerMemProfile(analysis, width: width), .layerMemExtremes(analysis, width: width),
                .layerKendallHeatmap(consistency, width: width)
            ]
            for path in try writeFigureFolder(list, to: figures, force: output.force) {
                FileHandle.standardError.write(Data("\(path)\n".utf8))
            }
        }
        if json {
            print(layersJSON(analysis, consistency, intervals: intervals, findings: findings).text)
            return
        }
        print(
            "LayerMem per layer (pairing \(analysis.pairing), distance \(analysis.distance); "
                + "m̃ normalized over the \(analysis.candidates.count) candidates; "
                + "\(Int((conventions.level * 100).rounded()))% bootstrap intervals over points, "
                + "\(conventions.bootstrapResamples) resamples, seed \(conventions.bootstrapSeed))")
        var table = TextTable(
            "layer", "order", "LayerMem", "95% CI", "ΔLayerMem", "95% CI", "n", "top-\(analysis.extremes)",
            "least-\(analysis.extremes)", "S_E control", "LayerMem − control", "95% CI")
        func ci(_ v: [Double]) -> String { "[\(fixed(v[0])), \(fixed(v[1]))]" }
        for (l, i) in zip(analysis.layers, intervals.layers) {
            table.add(
                l.name, "\(l.order)", fixed(l.layerMem), ci(i.layerMemCI), fixed(l.delta), ci(i.deltaCI), "\(l.n)",
                fixed(l.top), fixed(l.least), fixed(l.control), fixed(i.excess), ci(i.excessCI))
        }
        print(table.text)
        print("\n" + findings.sentences.joined(separator: "\n") + "\n")
        print(
            "(S_E control: the same normalized a_g − a_f averaged over the extra points, which neither encoder "
                + "trained on; LayerMem near it is a difference between the encoders, not memorization)")
        if !consistency.pairs.isEmpty {
            print("\nLayer consistency: Kendall's tau-b of m(x) over the candidates, and top-X overlap")
            let xs = sizes.filter { $0 <= analysis.candidates.count }
            var pairs = TextTable(["a", "b", "tau-b", "p", "n"] + xs.map { "top-\($0)" })
            for p in consistency.pairs {
                pairs.add(
                    [p.a, p.b, fixed(p.tau, 3), scientific(p.pValue), "\(p.n)"]
                        + p.top.map { NumberFormat.percent($0.overlap) })
            }
            print(pairs.text)
        }
        if !consistency.skipped.isEmpty {
            print(
                "(top-X sizes above the \(analysis.candidates.count) candidates skipped: "
                    + consistency.skipped.map(String.init).joined(separator: ", ") + ")")
        }
    }
}
