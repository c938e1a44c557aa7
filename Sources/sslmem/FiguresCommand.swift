import ArgumentParser
import Foundation
import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemPlot

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Paper-style figures of a run (and across runs) as PDF, SVG and PNG, each with its data as CSV.")

    @Option(help: "Scores of the run (from `sslmem score`).")
    var scores: String

    @OptionGroup var inputs: RunInputs

    @Option(help: "Other runs' scores, comma-separated, for the Kendall heatmap (this run first).")
    var compare: String?

    @Option(help: "Names of this run and the --compare runs, comma-separated.")
    var names: String?

    @Option(help: "Removal results CSV (removed,kind,dataset,accuracy[,std]) for Figs. 3, 6, 7.")
    var removal: String?

    @Option(help: "Formats, comma-separated: pdf, svg, png.")
    var format: String = "pdf,svg,png"

    @Option(help: "single (3.3 in) or double (7 in) column width.")
    var width: FigureWidth = .single

    @Option(help: "Output folder (created if missing).")
    var out: String

    func run() throws {
        let formats = try format.split(separator: ",").map { name in
            guard let f = FigureFormat(rawValue: String(name)) else {
                throw ValidationError("--format takes pdf, svg and png, comma-separated")
            }
            return f
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for figure in try Self.figures(scores: scores, images: inputs.images, checkpoints: inputs.checkpoints,
                                       logs: inputs.logList, compare: compare.map(Self.list) ?? [],
                                       names: names.map(Self.list), removal: removal, width: width) {
            for path in try figure.write(to: out, formats: formats) { print(path) }
        }
    }

    static func list(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }

    /// Every figure the inputs allow, in the order a report shows them.
    static func figures(
        scores: String, images: String?, checkpoints: String?, logs: [String], compare: [String], names: [String]?,
        removal: String?, width: FigureWidth
    ) throws -> [PaperFigure] {
        let runNames = names ?? ([scores] + compare).map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
        guard runNames.count == compare.count + 1 else {
            throw ValidationError("--names must name this run and each --compare run")
        }
        return try PaperFigure.figures(
            try ScoresTable(file: scores), name: runNames[0], images: try images.map { try ImagesFile(path: $0) },
            checkpoints: checkpoints, logs: logs,
            compared: try zip(runNames.dropFirst(), compare).map { ($0, try ScoresTable(file: $1)) },
            removal: try removal.map { try RemovalResults(csvFile: $0) }, width: width)
    }
}

extension FigureWidth: ExpressibleByArgument {}
