import ArgumentParser
import Foundation
import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Paper-style figures of a run (and across runs) as PDF, SVG and PNG, each with its data as CSV.")

    @Option(help: "Scores of the run (from `sslmem score`).")
    var scores: String

    @OptionGroup var inputs: RunInputs

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("Other runs' scores files, for the Kendall heatmap (this run first).", valueName: "scores"))
    var compare: [String] = []

    @Option(help: ArgumentHelp("Names of this run and the --compare runs, comma-separated.", valueName: "name,name,…"))
    var names: CommaSeparated<String>?

    @Option(help: "Removal results CSV (removed,kind,dataset,accuracy[,std]) for Figs. 3, 6, 7.")
    var removal: String?

    @Option(help: ArgumentHelp("Formats, comma-separated: pdf, svg, png.", valueName: "format,…"))
    var format = CommaSeparated<FigureFormat>(FigureFormat.allCases)

    @OptionGroup var figureSize: FigureSizeOptions

    var width: FigureWidth { figureSize.figureWidth }

    @Option(
        help: ArgumentHelp(
            "What colours the points of the alignment scatter (Fig. 2a): subset (a colour and marker per subset) or "
                + "score (the SSLMem score on a blue–white–red map centred at 0).", valueName: "subset|score"))
    var scatterColor: ScatterColoring = .subset

    @Option(
        help: ArgumentHelp(
            "Output folder: new, empty, or earlier figures (only the files sslmem wrote there are replaced).",
            discussion: "Never the current directory, a folder above it, or one holding an input."))
    var out: String

    @OptionGroup var output: ForceOption

    func validate() throws {
        if let names, names.values.count != compare.count + 1 {
            throw ValidationError("--names must name this run and each of the \(compare.count) --compare runs")
        }
        if names != nil && compare.isEmpty { throw ValidationError("--names goes with --compare") }
    }

    func run() throws {
        let formats = format.values
        let inputPaths =
            [scores, inputs.images, inputs.checkpoints, removal].compactMap { $0 } + inputs.logList + compare
        try requireInputs(inputPaths)
        try OutputGuard.checkFolder(out, kind: "figures", inputs: inputPaths, force: output.force)
        let figures = try Self.figures(
            scores: scores, images: inputs.images, checkpoints: inputs.checkpoints,
            logs: inputs.logList, compare: compare,
            names: names?.values, removal: removal, width: width,
            scatterColoring: scatterColor)
        for path in try writeFigureFolder(figures, to: out, force: output.force, formats: formats) {
            print(path)
        }
    }

    /// Every figure the inputs allow, in the order a report shows them.
    static func figures(
        scores: String, images: String?, checkpoints: String?, logs: [String], compare: [String], names: [String]?,
        removal: String?, width: FigureWidth, scatterColoring: ScatterColoring = .subset
    ) throws -> [PaperFigure] {
        let table = try ScoresTable(file: scores)
        if let caveat = try RunIdentity.check(scores: table, scoresFile: scores, checkpoints: checkpoints, logs: logs) {
            note(caveat)
        }
        let runNames =
            names ?? ([scores] + compare).map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        return try PaperFigure.figures(
            table, name: runNames[0], images: try images.map { try ImagesFile(path: $0) },
            checkpoints: checkpoints, logs: logs,
            compared: try zip(runNames.dropFirst(), compare).map { ($0, try ScoresTable(file: $1)) },
            removal: try removal.map { try RemovalResults(csvFile: $0) }, width: width, scatterColoring: scatterColoring
        )
    }
}
