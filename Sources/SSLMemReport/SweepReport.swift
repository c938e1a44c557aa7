import Foundation
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemStats

/// Memorization and linear-probe accuracy against a numeric run attribute read
/// from the runs' files (λ, ε, mask ratio, epoch …): paper Fig. 4 and Tables
/// 5 and 9. Runs with the same value are seeds of one point: mean ± std over
/// them (`RunGroup`).
public struct SweepReport {
    public var title: String
    /// The numbers, written as sweep.json; the rest of this type formats them.
    public var summary: SweepSummary
    public var attribute: String { summary.attribute }
    public var values: [Double] { summary.points.map(\.value) }
    public var figures: [PaperFigure]
    public var files: [[String]]
    public var commandLine: String
    public var date: String

    public init(runs: [RunSource], attribute: String, title: String?, commandLine: String) throws {
        summary = try SweepSummary(runs, attribute: attribute)
        let points = summary.points, values = points.map(\.value)
        // The runs of each value (SweepSummary has checked that every run has the attribute), for the gap figure.
        let grouped = RunGroup.group(runs) { String($0.number(attribute)!) }
            .sorted { $0.runs[0].number(attribute)! < $1.runs[0].number(attribute)! }
        var figures = [PaperFigure.sweepGaps(name: "sweep_memorization", attribute: attribute, values: values,
                                             groups: grouped, width: .double)]
        if points.allSatisfy({ $0.linearProbeMean != nil }) {
            figures.append(.sweep(
                name: "sweep_linear_probe", attribute: attribute, values: values, means: points.map { $0.linearProbeMean! },
                deviations: points.map(\.linearProbeStd), quantity: "linear-probe accuracy",
                caption: "Linear-probe accuracy of f against \(attribute).", width: .double))
        }
        self.figures = figures
        files = try RunSource.provenanceRows(runs)
        self.title = title ?? "SSLMem sweep over \(attribute)"
        self.commandLine = commandLine
        date = RunReport.reportDate()
    }

    var columns: [ReportTable.Column] {
        [.numeric(attribute), .numeric("runs"), .numeric("candidate SSLMem, mean ± std over seeds"),
         .numeric("linear probe, mean ± std over seeds")]
    }

    var rows: [[String]] {
        summary.points.map { point in
            [NumberFormat.fixed(point.value, point.value == point.value.rounded() ? 0 : 4), String(point.runs.count),
             NumberFormat.meanStd(point.candidateMean, point.candidateStd),
             point.linearProbeMean.map { NumberFormat.meanStd($0, point.linearProbeStd) } ?? "—"]
        }
    }

    /// The paragraph under the heading, the same in HTML (templates/sweep.html.mustache) and PDF.
    var introduction: String {
        "For each value of the run attribute \(attribute): the mean over its runs of each run's mean candidate SSLMem "
            + "score and of f's linear-probe accuracy, ± the standard deviation over seeds where a value has several "
            + "runs (paper Fig. 4, Tables 5 and 9)."
    }

    /// Writes report.html, report.pdf, sweep.json (`SweepSummary`), figures/ and tables/ into `directory`.
    public func write(to directory: String, templates: ReportTemplates, paper: PDFPages.Paper = .a4,
                      force: Bool = false) throws -> [String] {
        try ReportWriter.intoPlace(directory, force: force) { temporary in
            try AtomicOutput.write(text: String(decoding: try summary.encoded(), as: UTF8.self) + "\n",
                                   to: temporary + "/sweep.json")
            try ReportWriter.write(document, into: temporary, templates: templates, paper: paper)
        }
    }

    /// The report as one document (see `ReportDocument` for adding a section).
    public var document: ReportDocument {
        var document = ReportDocument(title: title, date: date)
        document += [
            .heading("Memorization against \(attribute)", id: "sweep"), .paragraph(introduction),
            .table(ReportTable(columns, rows, export: .init(
                "sweep", caption: "Memorization and linear-probe accuracy against \(attribute)."))),
        ]
        document += figures.map { .figure($0) }
        document += ReportText.provenanceBlocks(files, commandLine: commandLine)
        return document
    }
}
