import ArgumentParser
import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemSupport

struct UnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract:
            "UnitMem of every unit of the layers in /layers (Wang et al., NeurIPS 2024), for f (and g beside it).",
        discussion: """
            A unit's activation for one view is the mean of the layer's values along every axis but units_axis \
            at the unit's index; μ(x, u) = mean over the K views. Over the points of --subsets: μ_max(u) = \
            max_x μ(x, u), x*(u) its argmax (lowest index on ties), μ_rest(u) = mean (or median) of μ over the \
            other points; UnitMem(u) = (μ_max − μ_rest) / (μ_max + μ_rest). Defined for non-negative \
            activations: negative means stop with the layer, unit and point unless --allow-negative. A dead \
            unit (all μ = 0) has UnitMem 0.
            """)

    @Option(name: .customLong("f"), help: "Representations of the f encoder.")
    var f: String

    @Option(name: .customLong("g"), help: "Representations of a g encoder, analysed beside f on the same subsets.")
    var g: String?

    @Option(name: .customLong("layer"), help: "A layer to analyse (repeatable; default: all).")
    var layers: [String] = []

    @Option(help: "Points to compare, comma-separated subsets (default: those f trained on).")
    var subsets: String = "shared,candidate"

    @Option(help: "mean or median (the released code) of μ over the points other than x*(u).")
    var rest: RestStatistic = .mean

    @Flag(help: "Compute UnitMem even where mean activations are negative.")
    var allowNegative = false

    @Option(help: "How many of the most memorizing units to list per layer.")
    var most: Int = 5

    @Option(help: "Worker threads (default: all cores, or SSLMEM_THREADS).")
    var threads: Int?

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Option(
        help:
            "Also write the UnitMem histogram (and, with --scores, the score-vs-UnitMem scatter) as PDF, SVG, PNG and CSV into this folder."
    )
    var figures: String?

    @OptionGroup var output: ForceOption

    @Option(help: "Scores of the run (from `sslmem score`), for the SSLMem-score-vs-UnitMem scatter.")
    var scores: String?

    @OptionGroup var figureSize: FigureSizeOptions

    var width: FigureWidth { figureSize.figureWidth }

    var subsetSet: Set<Subset> { Set(subsets.split(separator: ",").compactMap { Subset(name: String($0)) }) }

    func validate() throws {
        let names = subsets.split(separator: ",")
        guard !names.isEmpty, names.allSatisfy({ Subset(name: String($0)) != nil }) else {
            throw ValidationError("--subsets takes shared, candidate, independent and extra, comma-separated")
        }
        if most < 0 { throw ValidationError("--most must be at least 0") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        if let figures {
            let inputs = [f] + (g.map { [$0] } ?? []) + (scores.map { [$0] } ?? [])
            try OutputGuard.checkFolder(figures, kind: "figures", inputs: inputs, force: output.force)
        }
        let workers = threads ?? FileAlignment.defaultWorkers
        func analyze(_ path: String) throws -> [UnitMemLayer] {
            try UnitMem.analyze(
                file: path, layers: layers, subsets: subsetSet, rest: rest,
                allowNegative: allowNegative, workers: workers)
        }
        let resultF = try analyze(f)
        let resultG = try g.map(analyze)
        if let figures {
            var list = [PaperFigure.unitMemHistogram(resultF, width: width)]
            if let scores { list.append(.unitMemScatter(resultF, scores: try ScoresTable(file: scores), width: width)) }
            for path in try writeFigureFolder(list, to: figures, force: output.force) {
                FileHandle.standardError.write(Data("\(path)\n".utf8))
            }
        }
        if json {
            print(unitsJSON(f: resultF, g: resultG).text)
            return
        }
        for (role, result) in [("f", resultF)] + (resultG.map { [("g", $0)] } ?? []) {
            print(
                "UnitMem of \(role) (\(role == "f" ? f : g!)), over \(result.first?.points ?? 0) points of "
                    + "\(subsets), rest = \(rest.rawValue)")
            var table = TextTable("layer", "order", "units", "mean", "q25", "median", "q75", "max", "> 0.5")
            for l in result {
                let s = l.summary
                table.add(
                    l.name, "\(l.order)", "\(l.units.count)", fixed(s.mean), fixed(s.q25), fixed(s.median),
                    fixed(s.q75), fixed(s.max), NumberFormat.percent(s.aboveHalf))
            }
            print(table.text)
            if most > 0 {
                var units = TextTable("layer", "unit", "UnitMem", "x* (index)", "μ_max", "μ_rest")
                for l in result {
                    for u in l.mostMemorizing(most) {
                        units.add(
                            l.name, "\(u)", fixed(l.units[u]), "\(l.argmaxIndex[u])", fixed(l.muMax[u]),
                            fixed(l.muRest[u]))
                    }
                }
                print("\nMost memorizing units\n" + units.text + "\n")
            }
        }
        if let resultG {
            let baseline = UnitMemBaseline.compare(f: resultF, g: resultG)
            if !baseline.isEmpty {
                print(
                    "Baseline: UnitMem of g's units over the same points; share of f's units above g's 95th percentile "
                        + "(about 5% expected without memorization)")
                var table = TextTable("layer", "units", "g's q95", "f above it", "mean f", "mean g")
                for b in baseline {
                    table.add(
                        b.layer, "\(b.units)", fixed(b.baseline), NumberFormat.percent(b.shareAbove), fixed(b.fMean),
                        fixed(b.gMean))
                }
                print(table.text)
            }
        }
    }
}

extension RestStatistic: ExpressibleByArgument {}
