import ArgumentParser
import Foundation
import SSLMemCore
import SSLMemPlot
import SSLMemReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A run's report: report.html, report.pdf, figures/, tables/, scores.csv and summary.json.",
        discussion: """
            Scores the --f and --g dumps, runs the paper's tests, draws the figures and writes them with the \
            run's metadata and provenance (input files with size and SHA-256, options, command line). With \
            SOURCE_DATE_EPOCH set, the same inputs give the same bytes.
            """)

    @Option(name: .customLong("f"), help: "Representations of an f encoder; repeatable.")
    var f: [String] = []

    @Option(name: .customLong("g"), help: "Representations of a g encoder; repeatable.")
    var g: [String] = []

    @OptionGroup var inputs: RunInputs

    @Option(help: "Title of the report.")
    var title: String?

    @Option(help: "all-pairs (paper, Eq. 1) or original (authors' code).")
    var pairing: Pairing = .allPairs

    @Option(help: "Paper size of report.pdf: a4 or letter.")
    var paper: String = "a4"

    @Option(help: "Folder of the Mustache templates (default: SSLMEM_TEMPLATES, else templates/ of the toolkit).")
    var templates: String?

    @Option(help: "Output folder, e.g. reports/NAME (replaced whole when the report is complete).")
    var out: String

    func validate() throws {
        guard !f.isEmpty, !g.isEmpty else { throw ValidationError("give at least one --f and one --g file") }
        guard PDFPages.Paper(rawValue: paper) != nil else { throw ValidationError("--paper must be a4 or letter") }
    }

    func run() throws {
        let runInputs = RunReport.Inputs(
            f: f, g: g, images: inputs.images, checkpoints: inputs.checkpoints, logs: inputs.logList, title: title,
            options: AlignmentOptions(pairing: pairing), commandLine: (["sslmem"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        let report = try RunReport(runInputs)
        let template = try Self.template(named: "report.html.mustache", in: templates)
        for path in try ReportWriter.write(report, to: out, template: template, paper: PDFPages.Paper(rawValue: paper)!) {
            print(path)
        }
    }

    /// A template from --templates, SSLMEM_TEMPLATES, or the templates/ folder
    /// of the checkout the binary was built in (…/.build/<config>/sslmem).
    static func template(named name: String, in folder: String?) throws -> String {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [folder, ProcessInfo.processInfo.environment["SSLMEM_TEMPLATES"],
                          executable.deletingLastPathComponent().appendingPathComponent("../../../templates").path,
                          executable.deletingLastPathComponent().appendingPathComponent("../../templates").path,
                          "templates"].compactMap { $0 }
        for candidate in candidates {
            if let text = try? String(contentsOfFile: candidate + "/" + name, encoding: .utf8) { return text }
        }
        throw ValidationError("cannot find the template \(name); pass --templates DIR (the toolkit's templates/ folder)")
    }
}
