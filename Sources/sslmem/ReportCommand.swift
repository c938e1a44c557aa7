import ArgumentParser
import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemReport
import SSLMemSupport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "A run's report (report.html, report.pdf, figures/, tables/, scores.csv, summary.json), or with --compare a comparison of runs, or with --study a study folder's report.",
        discussion: """
            Scores the --f and --g dumps, runs the paper's tests, draws the figures and writes them with the \
            run's metadata and provenance (input files with size and SHA-256, options, command line). With \
            SOURCE_DATE_EPOCH set, the same inputs give the same bytes.
            """)

    @OptionGroup var encoders: EncoderFiles

    @OptionGroup var inputs: RunInputs

    @Option(help: "Title of the report.")
    var title: String?

    @OptionGroup var scoring: ScoringOptions

    @OptionGroup var bootstrap: BootstrapChoice

    @Option(name: .customLong("dejavu-k"), help: "Neighbours of the Déjà Vu attack, run when both dumps have /dejavu.")
    var dejaVuK = 100

    @Option(help: "Paper size of report.pdf.")
    var paper: PDFPages.Paper = .a4

    @Option(
        help: ArgumentHelp(
            "Draw the figures for a venue's text width and type sizes (neurips, iclr: 5.5 in; icml: 6.75 in), so that "
                + "figures/*.pdf go into the paper at 100%; without it, 6.75 in.", valueName: "neurips|iclr|icml"))
    var venue: FigureWidth.Venue?

    @Option(help: "Folder of Mustache templates overriding the built-in ones (as in the toolkit's templates/).")
    var templates: String?

    @Option(
        parsing: .upToNextOption,
        help: "Compare these runs instead of writing a run's report: report folders, scores files, or F.h5,G.h5 pairs.")
    var compare: [String] = []

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "A sweep: ATTR, then the runs (as for --compare); memorization against the run attribute ATTR.",
            valueName: "attr run"))
    var sweep: [String] = []

    @Option(
        help: ArgumentHelp("With --compare or --sweep: names of the runs, comma-separated.", valueName: "name,name,…"))
    var names: CommaSeparated<String>?

    @Option(help: "With --compare: score column of per-point files from other tools (default: score).")
    var column: String?

    @Option(help: "With --compare: removal results CSV (removed, kind, dataset, accuracy[, std]) for Figs. 3, 6, 7.")
    var removal: String?

    @Option(
        help: ArgumentHelp(
            "A study folder (study.json, removal.csv, runs/) as sslmem-backend study writes it: its runs compared as seeds of "
                + "setups, the removal experiment over seeds, SSLMem against downstream accuracy.", valueName: "dir"))
    var study: String?

    @Option(
        help: ArgumentHelp(
            "Output folder, e.g. reports/NAME: new, empty, or an earlier report (only the files sslmem wrote there are replaced).",
            discussion: "Never the current directory, a folder above it, or one holding an input."))
    var out: String

    @OptionGroup var output: ForceOption

    @OptionGroup var progressOption: ProgressOption

    /// Every file or folder this command reads.
    var inputPaths: [String] {
        encoders.f + encoders.g + [inputs.images, inputs.checkpoints, removal, templates].compactMap { $0 }
            + inputs.logList
            + runListPaths(compare) + runListPaths(Array(sweep.dropFirst()))
            + [study.map { $0 + "/study.json" }].compactMap { $0 }
    }

    func validate() throws {
        let runs = !compare.isEmpty ? compare : Array(sweep.dropFirst())
        if study != nil {
            guard compare.isEmpty, sweep.isEmpty, encoders.f.isEmpty, encoders.g.isEmpty, removal == nil, names == nil,
                inputs.images == nil, inputs.checkpoints == nil
            else {
                throw ValidationError(
                    "--study reads its runs and removal results from the study folder: give it alone "
                        + "(with --out, --title, --paper, --venue, --templates)")
            }
        } else if !compare.isEmpty || !sweep.isEmpty {
            guard compare.isEmpty || sweep.isEmpty else { throw ValidationError("give --compare or --sweep, not both") }
            guard runs.count >= 2 else { throw ValidationError("a comparison or sweep needs at least two runs") }
            if let names, names.values.count != runs.count {
                throw ValidationError("--names must name each of the \(runs.count) runs")
            }
            guard encoders.f.isEmpty, encoders.g.isEmpty else {
                throw ValidationError(
                    "--f/--g make a run's report; with --compare or --sweep give the runs as F.h5,G.h5 pairs")
            }
            guard !scoring.choice.isCustomized else {
                throw ValidationError(
                    "--convention, --pairing, --distance, --normalize and --range-over apply to a "
                        + "run's report (--f/--g), not to --compare or --sweep")
            }
            guard inputs.images == nil, inputs.checkpoints == nil else {
                throw ValidationError("--images and --checkpoints go with a run's report (--f/--g)")
            }
        } else {
            try encoders.requireBoth()
            if names != nil { throw ValidationError("--names goes with --compare or --sweep") }
        }
        if dejaVuK < 1 { throw ValidationError("--dejavu-k must be at least 1") }
        if removal != nil && compare.isEmpty { throw ValidationError("--removal goes with --compare") }
    }

    func run() throws {
        progressOption.apply()
        try requireInputs(inputPaths.filter { $0 != self.templates })
        useFastBLASKernels()
        try OutputGuard.checkFolder(out, kind: "report", inputs: inputPaths, force: output.force)
        let templates = try Self.templates(in: self.templates)
        let commandLine = (["sslmem"] + CommandLine.arguments.dropFirst()).map(shellQuoted).joined(separator: " ")
        if let study {
            Progress.show("reading the study \(study)")
            defer { Progress.done() }
            let folder = try Study(directory: study)
            try requireInputs(folder.inputs)
            try OutputGuard.checkFolder(out, kind: "report", inputs: inputPaths + folder.inputs, force: output.force)
            let report = try ComparisonReport(
                study: folder, title: title, commandLine: commandLine,
                width: FigureWidth(.double, venue: venue))
            for path in try report.write(to: out, templates: templates, paper: paper, force: output.force) {
                print(path)
            }
            warn(report.warnings)
            return
        }
        let runNames = names?.values
        func sources(_ arguments: [String]) throws -> [RunSource] {
            try arguments.enumerated().map { i, argument in try RunSource(argument, name: runNames?[i], column: column)
            }
        }
        if !compare.isEmpty {
            Progress.show("reading \(compare.count) runs")
            defer { Progress.done() }
            let report = try ComparisonReport(
                runs: try sources(compare), title: title,
                removal: try removal.map { try RemovalResults(csvFile: $0) },
                commandLine: commandLine, width: FigureWidth(.double, venue: venue))
            for path in try report.write(to: out, templates: templates, paper: paper, force: output.force) {
                print(path)
            }
            return
        }
        if let attribute = sweep.first {
            Progress.show("reading \(sweep.count - 1) runs")
            defer { Progress.done() }
            let report = try SweepReport(
                runs: try sources(Array(sweep.dropFirst())), attribute: attribute, title: title,
                commandLine: commandLine, width: FigureWidth(.double, venue: venue))
            for path in try report.write(to: out, templates: templates, paper: paper, force: output.force) {
                print(path)
            }
            warn(report.summary.warnings ?? [])
            return
        }
        if let checkpoints = inputs.checkpoints {
            try RunIdentity.check(
                runFiles: encoders.f + encoders.g, of: "the run of " + encoders.f[0], checkpoints: checkpoints,
                logs: inputs.logList)
        }
        var runInputs = RunReport.Inputs(
            f: encoders.f, g: encoders.g, images: inputs.images, checkpoints: inputs.checkpoints, logs: inputs.logList,
            title: title,
            options: scoring.options, commandLine: commandLine)
        runInputs.dejaVuK = dejaVuK
        runInputs.conventions = scoring.conventions
        bootstrap.apply(to: &runInputs.conventions)
        runInputs.workers = scoring.workers
        defer { Progress.done() }
        let report = try RunReport(runInputs, width: FigureWidth(.double, venue: venue), progress: Progress.show)
        let paths = try ReportWriter.write(
            report, to: out, templates: templates, paper: paper, progress: Progress.show,
            force: output.force, workers: scoring.workers)
        Progress.done()
        for path in paths { print(path) }
        warn(report.warnings)
    }

    /// The built-in templates, or those of the folder given with --templates (which must exist).
    static func templates(in folder: String?) throws -> ReportTemplates {
        guard let folder else { return try ReportTemplates.builtIn() }
        do { return try ReportTemplates(folder: folder) } catch let error as SSLMemError {
            throw ValidationError("--templates: \(error.description)")
        }
    }
}

/// `argument` as a POSIX shell would need it to read back the same word.
func shellQuoted(_ argument: String) -> String {
    let plain = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./,=:+@%".contains($0) }
    return plain && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
