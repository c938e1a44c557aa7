import ArgumentParser
import Foundation
import SSLMemCore
import SSLMemFigures
import SSLMemPlot
import SSLMemReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A run's report (report.html, report.pdf, figures/, tables/, scores.csv, summary.json), or with --compare a comparison of runs.",
        discussion: """
            Scores the --f and --g dumps, runs the paper's tests, draws the figures and writes them with the \
            run's metadata and provenance (input files with size and SHA-256, options, command line). With \
            SOURCE_DATE_EPOCH set, the same inputs give the same bytes.
            """)

    @OptionGroup var encoders: EncoderFiles

    @OptionGroup var inputs: RunInputs

    @Option(help: "Title of the report.")
    var title: String?

    @Option(help: "all-pairs (paper, Eq. 1) or original (authors' code).")
    var pairing: Pairing = .allPairs

    @Option(name: .customLong("dejavu-k"), help: "Neighbours of the Déjà Vu attack, run when both dumps have /dejavu.")
    var dejaVuK = 100

    @Option(help: "Paper size of report.pdf: a4 or letter.")
    var paper: String = "a4"

    @Option(help: "Folder of the Mustache templates (default: SSLMEM_TEMPLATES, else templates/ of the toolkit).")
    var templates: String?

    @Option(parsing: .upToNextOption,
            help: "Compare these runs instead of writing a run's report: report folders, scores files, or F.h5,G.h5 pairs.")
    var compare: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "A sweep: ATTR, then the runs (as for --compare); memorization against the run attribute ATTR.",
        valueName: "attr run"))
    var sweep: [String] = []

    @Option(help: "With --compare or --sweep: names of the runs, comma-separated.")
    var names: String?

    @Option(help: "With --compare: score column of per-point files from other tools (default: score).")
    var column: String?

    @Option(help: "With --compare: removal results CSV (removed, kind, dataset, accuracy[, std]) for Figs. 3, 6, 7.")
    var removal: String?

    @Option(help: "Output folder, e.g. reports/NAME (replaced whole when the report is complete).")
    var out: String

    func validate() throws {
        let runs = !compare.isEmpty ? compare : Array(sweep.dropFirst())
        if !compare.isEmpty || !sweep.isEmpty {
            guard compare.isEmpty || sweep.isEmpty else { throw ValidationError("give --compare or --sweep, not both") }
            guard runs.count >= 2 else { throw ValidationError("a comparison or sweep needs at least two runs") }
            if let names, names.split(separator: ",").count != runs.count {
                throw ValidationError("--names must name each of the \(runs.count) runs")
            }
        } else {
            try encoders.requireBoth()
        }
        if dejaVuK < 1 { throw ValidationError("--dejavu-k must be at least 1") }
        if removal != nil && compare.isEmpty { throw ValidationError("--removal goes with --compare") }
        guard PDFPages.Paper(rawValue: paper) != nil else { throw ValidationError("--paper must be a4 or letter") }
    }

    func run() throws {
        useFastBLASKernels()
        let templates = try Self.templates(in: self.templates)
        let commandLine = (["sslmem"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let paper = PDFPages.Paper(rawValue: paper)!
        let runNames = names.map { $0.split(separator: ",").map(String.init) }
        func sources(_ arguments: [String]) throws -> [RunSource] {
            try arguments.enumerated().map { i, argument in try RunSource(argument, name: runNames?[i], column: column) }
        }
        if !compare.isEmpty {
            Progress.show("reading \(compare.count) runs")
            defer { Progress.done() }
            let report = try ComparisonReport(runs: try sources(compare), title: title,
                                              removal: try removal.map { try RemovalResults(csvFile: $0) },
                                              commandLine: commandLine)
            for path in try report.write(to: out, templates: templates, paper: paper) { print(path) }
            return
        }
        if let attribute = sweep.first {
            Progress.show("reading \(sweep.count - 1) runs")
            defer { Progress.done() }
            let report = try SweepReport(runs: try sources(Array(sweep.dropFirst())), attribute: attribute, title: title,
                                         commandLine: commandLine)
            for path in try report.write(to: out, templates: templates, paper: paper) { print(path) }
            return
        }
        var runInputs = RunReport.Inputs(
            f: encoders.f, g: encoders.g, images: inputs.images, checkpoints: inputs.checkpoints, logs: inputs.logList, title: title,
            options: AlignmentOptions(pairing: pairing), commandLine: commandLine)
        runInputs.dejaVuK = dejaVuK
        defer { Progress.done() }
        let report = try RunReport(runInputs, progress: Progress.show)
        let paths = try ReportWriter.write(report, to: out, templates: templates, paper: paper, progress: Progress.show)
        Progress.done()
        for path in paths { print(path) }
    }

    /// The templates from --templates, SSLMEM_TEMPLATES, or the templates/
    /// folder of the checkout the binary was built in (…/.build/<config>/sslmem).
    static func templates(in folder: String?) throws -> ReportTemplates {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [folder, ProcessInfo.processInfo.environment["SSLMEM_TEMPLATES"],
                          executable.deletingLastPathComponent().appendingPathComponent("../../../templates").path,
                          executable.deletingLastPathComponent().appendingPathComponent("../../templates").path,
                          "templates"].compactMap { $0 }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/report.html.mustache") {
            return try ReportTemplates(folder: candidate)
        }
        throw ValidationError("cannot find the report templates; pass --templates DIR (the toolkit's templates/ folder)")
    }
}
