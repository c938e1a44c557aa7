import Foundation
import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemStats

/// A report comparing runs (methods, seeds, architectures), each given as a
/// report folder, a scores file or an F.h5,G.h5 pair (`RunSource`): the paper's
/// Table 1 over seeds and per run (memorization, linear-probe accuracy),
/// Kendall's τ between runs (Table 13, also as a heatmap), top-X overlap
/// (Table 12), Welch's two-sided test between runs' mean candidate scores,
/// Déjà Vu next to SSLMem (Table 4) for runs whose report has it, and the
/// removal experiment (Figs. 3, 6, 7) when its results are given.
public struct ComparisonReport {
    public var title: String
    public var names: [String]
    public var groups: [[String]]
    public var runs: [[String]]
    public var comparison: RunComparison
    public var tests: [[String]]
    /// Across runs, Holm-adjusted: same or different memorization (Welch), rankings related or not (Kendall's
    /// τ-b); `Findings.comparison` says which test feeds which claim.
    public var findings: [RunSummary.Finding]
    /// Caveats computed from the numbers (`Caveats.comparison`: top-X overlaps not above chance).
    public var warnings: [String]
    /// Déjà Vu next to SSLMem per run (paper Table 4), for runs whose report has a Déjà Vu section.
    public var dejaVu: [[String]]
    public var removal: [[String]]
    public var figures: [PaperFigure]
    /// LayerMem profiles of the runs whose reports have them.
    var layers: LayerComparison?
    public var files: [[String]]
    public var commandLine: String
    public var date: String

    public static let tops = [10, 20, 50, 100]

    public init(runs sources: [RunSource], title: String?, removal: RemovalResults? = nil,
                commandLine: String) throws {
        // A per-point score from another tool takes its points' subsets from the first run that has them.
        var sources = sources
        if let reference = sources.first(where: { $0.table.known.contains(.subset) })?.table {
            for i in sources.indices where !sources[i].table.known.contains(.subset) {
                sources[i].table = sources[i].table.joiningSubsets(from: reference)
            }
        }
        names = sources.map(\.name)
        let tables = sources.map(\.table)
        groups = RunGroup.bySetup(sources).map(\.row)
        runs = sources.map { run in
            let candidates = Descriptive(run.table.scores(of: .candidate))
            return [run.name, String(candidates.count),
                    "\(ReportText.number(candidates.mean)) ± \(ReportText.number(candidates.standardDeviation))",
                    run.attributes["linear_probe_accuracy"].flatMap(Double.init).map { ReportText.number($0) } ?? "—"]
        }
        let smallest = tables.map { $0.scores(of: .candidate).count }.min() ?? 0
        comparison = try RunComparison(tables, names: names, tops: Self.tops.filter { $0 <= smallest })
        let runNames = names
        let tests = RunMeanTest.pairs(tables).map { test -> [String] in
            let r = test.result
            return ["\(runNames[test.a]) vs \(runNames[test.b])", ReportText.number(r.meanDifference),
                    ReportText.number(r.statistic, 3), ReportText.number(r.degreesOfFreedom, 1), ReportText.pValue(r.pValue)]
        }
        self.tests = tests
        findings = Findings.comparison(tables, comparison: comparison)
        warnings = Caveats.comparison(comparison)
        dejaVu = sources.compactMap { source in source.summary?.dejavu.flatMap { Self.dejaVuRow(source.name, $0) } }
        self.removal = removal.map(Self.removalRows) ?? []
        figures = [.kendallHeatmap(comparison, width: .double)] + (removal.map { [.removal($0, width: .double)] } ?? [])
        layers = LayerComparison.of(sources)
        files = try RunSource.provenanceRows(sources)
        self.title = title ?? "SSLMem comparison: " + names.joined(separator: ", ")
        self.commandLine = commandLine
        date = RunReport.reportDate()
    }

    static let removalColumns = ["dataset", "kind", "points removed", "accuracy", "std"]

    static func removalRows(_ results: RemovalResults) -> [[String]] {
        results.rows.map { row in
            [row.dataset, row.kind, ReportText.number(row.removed, 0), ReportText.number(row.accuracy),
             row.std.map { ReportText.number($0) } ?? "—"]
        }
    }

    static let dejaVuColumns = ["run", "k", "target", "reference", "gap", "memorized share",
                                "SSLMem, DV-memorized", "SSLMem, rest", "p (Welch, >)"]

    /// One row of Table 4 from a run summary's Déjà Vu results, at the fraction its report chose.
    static func dejaVuRow(_ name: String, _ dejaVu: RunSummary.DejaVu) -> [String]? {
        guard let at = dejaVu.table4 else { return nil }
        return [name, String(dejaVu.k), ReportText.number(at.target), ReportText.number(at.reference),
                at.gap.map { ReportText.number($0) } ?? "n/a", ReportText.number(dejaVu.memorized),
                ReportText.number(dejaVu.sslmem.memorizedMean), ReportText.number(dejaVu.sslmem.restMean),
                ReportText.pValue(dejaVu.sslmem.pvalue)]
    }

    static let runColumns = ["run", "candidates", "mean score ± std over points", "linear probe (f)"]
    static let overlapColumns = ["runs", "X", "overlap", "chance", "p (chance)", "τ-b", "p", "n"]
    static let testColumns = ["runs", "mean difference", "t", "df", "p"]

    var kendallColumns: [String] { ["run"] + names }

    var kendallRows: [[String]] {
        comparison.kendall.enumerated().map { i, row in
            [names[i]] + row.map { "\(ReportText.number($0.tau, 3)) (p \(ReportText.pValue($0.pValue)))" }
        }
    }

    var overlapRows: [[String]] {
        comparison.pairs.flatMap { pair in
            pair.top.map {
                ["\(names[pair.a]) vs \(names[pair.b])", String($0.x), ReportText.number(100 * $0.overlap, 1) + "%",
                 ReportText.number(100 * $0.expectedOverlap, 1) + "%", ReportText.pValue($0.chancePValue),
                 ReportText.number($0.kendall.tau, 3), ReportText.pValue($0.kendall.pValue), String($0.kendall.count)]
            }
        }
    }

    /// Writes report.html, report.pdf, figures/ and tables/ into `directory`.
    public func write(to directory: String, templates: ReportTemplates, paper: PDFPages.Paper = .a4,
                      force: Bool = false) throws -> [String] {
        try ReportWriter.intoPlace(directory, force: force) { temporary in
            for figure in figures + [layers?.figure].compactMap({ $0 }) {
                try figure.write(to: temporary + "/figures", formats: FigureFormat.allCases)
            }
            let tables: [(String, String, [String], [[String]])] = [
                ("table1", "Memorization of the candidates and linear-probe accuracy per setup, mean $\\pm$ std over "
                 + "seeds (paper Table 1).", RunGroup.columns, groups),
                ("runs", "Memorization of the candidates per run (mean $\\pm$ std) and linear-probe accuracy.",
                 Self.runColumns, runs),
                ("kendall", "Kendall's $\\tau_b$ between runs' candidate scores (two-sided p).", kendallColumns, kendallRows),
                ("overlap", "Top-X overlap of the most memorized candidates, $\\tau_b$ on the common points; chance: the overlap random rankings would give (X/n), with its hypergeometric p.",
                 Self.overlapColumns, overlapRows),
                ("tests", "Welch's two-sided t-test between runs' mean candidate scores.", Self.testColumns, tests),
            ] + (removal.isEmpty ? [] : [
                ("removal", "Downstream accuracy after removing the most memorized or random points (paper Fig. 3).",
                 Self.removalColumns, removal),
            ]) + (dejaVu.isEmpty ? [] : [
                ("dejavu", "D\\'ej\\`a Vu at confidence fraction 0.2 and SSLMem of the candidates it calls memorized "
                 + "(paper Table 4).", Self.dejaVuColumns, dejaVu),
            ]) + (layers.map { [("layers", "LayerMem and \\(\\Delta\\)LayerMem per layer and run.", $0.columns, $0.rows)] }
                  ?? [])
            for (name, caption, columns, rows) in tables {
                try ReportWriter.writeTable(name, caption: caption, columns: columns, rows: rows, to: temporary + "/tables")
            }
            var context: [String: Any] = [
                "findingsIntroduction": ReportText.findingsIntroduction, "findingColumns": ReportText.findingColumns,
                "findingRows": ReportText.findingRows(findings).map { ["cells": $0] },
                "findingSentences": findings.map(\.sentence),
                "warnings": warnings, "hasWarnings": !warnings.isEmpty,
                "title": title, "date": date, "version": RunReport.version, "commandLine": commandLine,
                "groupColumns": RunGroup.columns, "groups": groups.map { ["cells": $0] },
                "runColumns": Self.runColumns, "runs": runs.map { ["cells": $0] },
                "removalColumns": Self.removalColumns, "removal": removal.map { ["cells": $0] },
                "hasRemoval": !removal.isEmpty,
                "kendallColumns": kendallColumns, "kendall": kendallRows.map { ["cells": $0] },
                "overlapColumns": Self.overlapColumns, "overlap": overlapRows.map { ["cells": $0] },
                "testColumns": Self.testColumns, "tests": tests.map { ["cells": $0] },
                "dejavuColumns": Self.dejaVuColumns, "dejavu": dejaVu.map { ["cells": $0] },
                "hasDejavu": !dejaVu.isEmpty,
                "kendallFigure": try HTMLReport.inlineFigures([figures[0]], directory: temporary + "/figures")[0],
                "files": RunSource.provenanceContext(files),
            ]
            if let layers {
                context["layers"] = [
                    "columns": layers.columns, "rows": layers.rows.map { ["cells": $0] }, "sentence": layers.sentence,
                    "figure": try HTMLReport.inlineFigures([layers.figure], directory: temporary + "/figures")[0],
                ] as [String: Any]
            }
            if let removalFigure = figures.dropFirst().first {
                context["removalFigure"] = try HTMLReport.inlineFigures([removalFigure], directory: temporary + "/figures")[0]
            }
            try AtomicOutput.write(text: try templates.render(context, template: "compare.html"),
                                   to: temporary + "/report.html")
            try PDFReport.write(to: temporary + "/report.pdf", paper: paper, title: title) { pdf in
                pdf.paragraph("Generated by sslmem \(RunReport.version) on \(date).", size: 8, color: .grey)
                pdf.heading("1  Findings")
                pdf.findings(findings, warnings: warnings)
                pdf.heading("2  Memorization per setup and run")
                pdf.table(RunGroup.columns, groups, widths: [0.34, 0.16, 0.25, 0.25])
                pdf.table(Self.runColumns, runs, widths: [0.25, 0.15, 0.3, 0.3])
                pdf.heading("3  Kendall's τ between runs")
                pdf.table(kendallColumns, kendallRows,
                          widths: [0.2] + Array(repeating: 0.8 / Double(names.count), count: names.count))
                pdf.figure(figures[0])
                pdf.heading("4  Top-X overlap")
                pdf.paragraph("Share of the X most memorized candidates common to two runs, with Kendall's τ-b over "
                              + "those common points (paper Table 12); n/a when they share fewer than two points. "
                              + "Chance: the share two random rankings of the n candidates would have in common (X/n); "
                              + "p (chance): the hypergeometric probability of an overlap at least this large by chance.")
                pdf.table(Self.overlapColumns, overlapRows, widths: [0.22, 0.06, 0.11, 0.1, 0.13, 0.12, 0.13, 0.13])
                pdf.heading("5  Tests between runs")
                pdf.table(Self.testColumns, tests, widths: [0.3, 0.2, 0.15, 0.15, 0.2])
                var section = 6
                if !removal.isEmpty {
                    pdf.heading("\(section)  Removing memorized points (Figs. 3, 6, 7)")
                    pdf.figure(figures[1])
                    pdf.table(Self.removalColumns, removal, widths: [0.25, 0.2, 0.2, 0.2, 0.15])
                    section += 1
                }
                if !dejaVu.isEmpty {
                    pdf.heading("\(section)  Déjà Vu and SSLMem (Table 4)")
                    pdf.paragraph("Target and reference accuracy and their gap at confidence fraction q = 0.2; the share "
                                  + "of points Déjà Vu calls memorized; mean SSLMem of the candidates it calls memorized "
                                  + "and of the rest, with Welch's one-sided p.")
                    pdf.table(Self.dejaVuColumns, dejaVu, widths: [0.11, 0.05, 0.1, 0.11, 0.1, 0.12, 0.16, 0.12, 0.13],
                              size: 7)
                    section += 1
                }
                if let layers {
                    pdf.heading("\(section)  LayerMem profiles")
                    pdf.paragraph("LayerMem per layer for the runs whose reports have per-layer dumps; the layer that "
                                  + "has the highest LayerMem — " + layers.sentence + ".")
                    pdf.table(layers.columns, layers.rows,
                              widths: [0.2] + Array(repeating: 0.8 / Double(2 * layers.runs.count),
                                                    count: 2 * layers.runs.count), size: 7)
                    pdf.figure(layers.figure)
                    section += 1
                }
                pdf.heading("\(section)  Provenance")
                pdf.provenance(files, commandLine: commandLine)
            }
        }
    }
}
