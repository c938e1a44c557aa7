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

    @Option(help: ArgumentHelp(
        "Output folder: new, empty, or earlier figures (only the files sslmem wrote there are replaced).",
        discussion: "Never the current directory, a folder above it, or one holding an input."))
    var out: String

    @OptionGroup var output: ForceOption

    func run() throws {
        let formats = try format.split(separator: ",").map { name in
            guard let f = FigureFormat(rawValue: String(name)) else {
                throw ValidationError("--format takes pdf, svg and png, comma-separated")
            }
            return f
        }
        let inputPaths = [scores, inputs.images, inputs.checkpoints, removal].compactMap { $0 } + inputs.logList
            + (compare.map(Self.list) ?? [])
        try OutputGuard.checkFolder(out, kind: "figures", inputs: inputPaths, force: output.force)
        let figures = try Self.figures(scores: scores, images: inputs.images, checkpoints: inputs.checkpoints,
                                       logs: inputs.logList, compare: compare.map(Self.list) ?? [],
                                       names: names.map(Self.list), removal: removal, width: width)
        var written: [String] = []
        try AtomicOutput.writeDirectory(out, kind: "figures", force: output.force) { temporary in
            for figure in figures {
                written += try figure.write(to: temporary, formats: formats).map { ($0 as NSString).lastPathComponent }
            }
        }
        var folder = Substring(out)
        while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
        for name in written { print(folder + (folder.hasSuffix("/") ? "" : "/") + name) }
    }

    static func list(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }

    /// Every figure the inputs allow, in the order a report shows them.
    static func figures(
        scores: String, images: String?, checkpoints: String?, logs: [String], compare: [String], names: [String]?,
        removal: String?, width: FigureWidth
    ) throws -> [PaperFigure] {
        let table = try ScoresTable(file: scores)
        var figures = try PaperFigure.runFigures(table, images: try images.map { try ImagesFile(path: $0) },
                                                 checkpoints: checkpoints, logs: logs, width: width)
        if let audit = try? MembershipAudit(table) {  // needs candidates and extra points
            figures += [.membershipROC(audit, logLog: false, width: width), .membershipROC(audit, logLog: true, width: width),
                        .membershipSignal(audit, width: width)]
        }
        if !compare.isEmpty {
            let runNames = names ?? ([scores] + compare).map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
            guard runNames.count == compare.count + 1 else {
                throw ValidationError("--names must name this run and each --compare run")
            }
            let tables = [table] + (try compare.map { try ScoresTable(file: $0) })
            figures.append(.kendallHeatmap(try RunComparison(tables, names: runNames), width: width))
        }
        if let removal { figures.append(.removal(try RemovalResults(csvFile: removal), width: width)) }
        return figures
    }
}

extension FigureWidth: ExpressibleByArgument {}
