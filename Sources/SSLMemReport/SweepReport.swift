import Foundation
import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemStats
import SSLMemSupport

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
    /// The runs of each value, in value order.
    var groups: [RunGroup]
    public var files: [[String]]
    public var commandLine: String
    public var date: String

    /// `width`: the figures' printed width and type sizes (`report --venue`).
    public init(
        runs: [RunSource], attribute: String, title: String?, commandLine: String,
        width: FigureWidth = .double
    ) throws {
        summary = try SweepSummary(runs, attribute: attribute)
        let points = summary.points
        let values = points.map(\.value)
        // The runs of each value (SweepSummary has checked that every run has the attribute), for the gap figure.
        let grouped = RunGroup.group(runs) { String($0.number(attribute)!) }
            .sorted { $0.runs[0].number(attribute)! < $1.runs[0].number(attribute)! }
        var figures = [
            PaperFigure.sweepGaps(
                name: "sweep_memorization", attribute: attribute, values: values,
                groups: grouped, width: width)
        ]
        if points.allSatisfy({ $0.linearProbeMean != nil }) {
            figures.append(
                .sweep(
                    name: "sweep_linear_probe", attribute: attribute, values: values,
                    means: points.map { $0.linearProbeMean! },
                    deviations: points.map(\.linearProbeStd), quantity: "linear-probe accuracy",
                    caption: "Linear-probe accuracy of f against \(attribute).", width: width))
        }
        self.figures = figures
        groups = grouped
        files = try RunSource.provenanceRows(runs)
        self.title = title ?? "SSLMem sweep over \(attribute)"
        self.commandLine = commandLine
        date = RunReport.reportDate()
    }

    /// Whether some value has several runs (seeds): only then do the columns say "over seeds".
    var hasSeeds: Bool { groups.contains { $0.runs.count > 1 } }

    /// The candidates per run at each value (the first run's; `unequalSizes` names values whose runs differ).
    var candidates: [Int] { groups.map { $0.runs[0].table.scores(of: .candidate).count } }

    var columns: [ReportTable.Column] {
        let spread = hasSeeds ? ", mean ± std over seeds" : ""
        return [
            .numeric(attribute), .numeric("runs"), .numeric("candidates"),
            .numeric("gap S_C − S_I [95% CI]"), .numeric("gap S_C − S_E [95% CI]"),
            .numeric("linear probe" + spread)
        ]
    }

    /// Per value: the gaps the figure plots (candidates' mean unnormalized diff minus the independent and extra
    /// points', `RunGroup.gap(over:)`), with their intervals, and the linear probe.
    var rows: [[String]] {
        zip(summary.points, groups).enumerated().map { i, pair in
            let (point, group) = pair
            func gap(_ reference: Subset) -> String {
                group.gap(over: reference).map {
                    NumberFormat.fixed($0.gap) + " " + NumberFormat.interval($0.interval.lower, $0.interval.upper)
                } ?? "—"
            }
            return [
                NumberFormat.fixed(point.value, point.value == point.value.rounded() ? 0 : 4), String(point.runs.count),
                String(candidates[i]), gap(.independent), gap(.extra),
                point.linearProbeMean.map { NumberFormat.meanStd($0, point.linearProbeStd) } ?? "—"
            ]
        }
    }

    /// A sentence when the values were scored on different numbers of candidates: their intervals then differ in
    /// width for that reason alone (an interval narrows with √n).
    var unequalSizes: String? {
        let counts = candidates
        guard let most = counts.max(), let least = counts.min(), most != least else { return nil }
        let byCount = Dictionary(grouping: summary.points.indices, by: { counts[$0] }).sorted { $0.key > $1.key }
        let parts = byCount.map { count, indices in
            "\(count) candidates at \(attribute) "
                + indices.map {
                    NumberFormat.fixed(
                        summary.points[$0].value,
                        summary.points[$0].value == summary.points[$0].value.rounded() ? 0 : 4)
                }.joined(separator: ", ")
        }
        return "The values were not scored on the same number of points: " + parts.joined(separator: " against ")
            + ". An interval narrows with the square root of n, so the intervals at \(attribute) values with more "
            + "points are narrower for that reason alone (\(NumberFormat.fixed((Double(most) / Double(least)).squareRoot(), 1))× "
            + "at most here), not because memorization is better measured there."
    }

    /// The paragraph under the heading, the same in HTML (templates/sweep.html.mustache) and PDF.
    var introduction: String {
        "For each value of the run attribute \(attribute) (paper Fig. 4, Tables 5 and 9): the gaps the figure plots, "
            + "the candidates' mean unnormalized diff = A_g − A_f minus that of the independent points (S_C − S_I) and "
            + "of the extra points (S_C − S_E), with two-sided 95% intervals"
            + (hasSeeds ? " (over the seeds where a value has several runs, else Welch's)" : " (Welch's)")
            + ", and f's linear-probe accuracy"
            + (hasSeeds ? " (mean ± standard deviation over seeds)." : ".")
            + " The range-normalized mean score is not shown: each run is normalized on its own, so it can move "
            + "while the gap does not."
    }

    /// Writes report.html, report.pdf, sweep.json (`SweepSummary`), figures/ and tables/ into `directory`.
    public func write(
        to directory: String, templates: ReportTemplates, paper: PDFPages.Paper = .a4,
        force: Bool = false
    ) throws -> [String] {
        try ReportWriter.intoPlace(directory, force: force) { temporary in
            try AtomicOutput.write(
                text: String(decoding: try summary.encoded(), as: UTF8.self) + "\n",
                to: temporary + "/sweep.json")
            try ReportWriter.write(document, into: temporary, templates: templates, paper: paper)
        }
    }

    /// The report as one document (see `ReportDocument` for adding a section).
    public var document: ReportDocument {
        var document = ReportDocument(title: title, date: date)
        document += [
            .heading("Memorization against \(attribute)", id: "sweep"), .paragraph(introduction),
            .table(
                ReportTable(
                    columns, rows,
                    export: .init(
                        "sweep",
                        caption: "Memorization gaps (95% intervals) and linear-probe accuracy against \(attribute).")))
        ]
        if let unequalSizes { document += [.paragraph(unequalSizes, .note)] }
        document += figures.map { .figure($0) }
        document += ReportText.provenanceBlocks(files, commandLine: commandLine)
        return document
    }
}
