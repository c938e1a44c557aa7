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
    /// The numbers (per run and setup, Kendall, top-X overlap, tests, findings, caveats); written as
    /// comparison.json, formatted by the rest of this type.
    public var summary: ComparisonSummary
    public var comparison: RunComparison
    /// Across runs, Holm-adjusted: same or different memorization (Welch), rankings related or not (Kendall's
    /// τ-b); `Findings.comparison` says which test feeds which claim.
    public var findings: [RunSummary.Finding] { summary.findings }
    /// Caveats computed from the runs and the numbers (`Caveats.runAttributes`, `Caveats.comparison`).
    public var warnings: [String] { summary.warnings }
    /// Déjà Vu next to SSLMem per run (paper Table 4), for runs whose report has a Déjà Vu section.
    public var dejaVu: [[String]]
    public var removal: [[String]]
    public var figures: [PaperFigure]
    /// LayerMem profiles of the runs whose reports have them.
    var layers: LayerComparison?
    /// Tests over seeds between setups, a study's removal experiment and SSLMem against downstream accuracy.
    var seedSections: [SeedSection] = []
    public var files: [[String]]
    public var commandLine: String
    public var date: String

    public static let tops = [10, 20, 50, 100]

    /// The paragraphs of the report, the same in its HTML (templates/compare.html.mustache) and PDF;
    /// `ReportParityTests` checks that they agree.
    enum Text {
        static let setups = "Paper Table 1: per setup (method, architecture, dataset), the mean over its runs of each "
            + "run's mean candidate SSLMem score and of f's linear-probe accuracy, ± the standard deviation over seeds "
            + "(shown when a setup has more than one run)."
        static let runs = "Each run: its candidates' mean score ± standard deviation over points, and f's linear-probe "
            + "accuracy."
        static let kendall = "Kendall's τ-b between the runs' candidate scores, over the candidates both runs scored "
            + "(paper Table 13); p two-sided."
        static let overlap = "Share of the X most memorized candidates common to two runs, with Kendall's τ-b over those "
            + "common points (paper Table 12). τ is n/a when the two lists share fewer than two points. Chance: the "
            + "share two random rankings of the n candidates would have in common (X/n); p (chance): the "
            + "hypergeometric probability of an overlap at least this large by chance."
        static let tests = "Welch's two-sided t-test of the difference between two runs' mean candidate scores, "
            + "the points of each run as its sample: within-run, not across training randomness (its p shrinks with "
            + "the number of points; setups with several seeds are tested over seeds below)."
        static let removal = "Downstream accuracy of encoders retrained without the most memorized points and without "
            + "as many random points (lists from sslmem select)."
        static let dejaVu = "Déjà Vu label-inference accuracy at confidence fraction q = 0.2 for each encoder on its "
            + "own training points (target) and on the other's (reference), the share of points Déjà Vu calls "
            + "memorized, and the mean SSLMem score of the candidates it calls memorized against the rest (Welch, "
            + "one-sided)."
        static func layers(_ sentence: String) -> String {
            "LayerMem per layer for the runs whose reports have per-layer dumps; the layer with the highest LayerMem — "
                + sentence + "."
        }
    }

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
        let smallest = tables.map { $0.scores(of: .candidate).count }.min() ?? 0
        comparison = try RunComparison(tables, names: names, tops: Self.tops.filter { $0 <= smallest })
        summary = ComparisonSummary(sources, comparison: comparison)
        dejaVu = sources.compactMap { source in source.summary?.dejavu.flatMap { Self.dejaVuRow(source.name, $0) } }
        self.removal = removal.map(Self.removalRows) ?? []
        figures = [.kendallHeatmap(comparison, width: .double)] + (removal.map { [.removal($0, width: .double)] } ?? [])
        layers = LayerComparison.of(sources)
        seedSections = SeedSection.sections(summary, removal: nil)
        files = try RunSource.provenanceRows(sources)
        self.title = title ?? "SSLMem comparison: " + names.joined(separator: ", ")
        self.commandLine = commandLine
        date = RunReport.reportDate()
    }

    /// A study folder (`sslmem report --study`): the comparison of its runs (seeds of setups), its removal
    /// experiment over seeds, and SSLMem against downstream accuracy.
    public init(study: Study, title: String?, commandLine: String) throws {
        try self.init(runs: study.sources, title: title ?? "SSLMem study: " + study.directory, commandLine: commandLine)
        summary = ComparisonSummary(study: study, comparison: comparison)
        seedSections = SeedSection.sections(summary, removal: study.removal)
        files = try study.studyFiles.map { path in
            let file = try RunReport.InputFile(path: path)
            return ["study", file.path, String(file.bytes), file.sha256]
        } + RunSource.provenanceRows(study.sources)
    }

    static let removalColumns = ["dataset", "kind", "points removed", "accuracy", "std"]

    static func removalRows(_ results: RemovalResults) -> [[String]] {
        results.rows.map { row in
            [row.dataset, row.kind, NumberFormat.fixed(row.removed, 0), NumberFormat.fixed(row.accuracy),
             row.std.map { NumberFormat.fixed($0) } ?? "—"]
        }
    }

    static let dejaVuColumns = ["run", "k", "target", "reference", "gap", "memorized share",
                                "SSLMem, DV-memorized", "SSLMem, rest", "p (Welch, >)"]

    /// One row of Table 4 from a run summary's Déjà Vu results, at the fraction its report chose.
    static func dejaVuRow(_ name: String, _ dejaVu: RunSummary.DejaVu) -> [String]? {
        guard let at = dejaVu.table4 else { return nil }
        return [name, String(dejaVu.k), NumberFormat.fixed(at.target), NumberFormat.fixed(at.reference),
                at.gap.map { NumberFormat.fixed($0) } ?? "n/a", NumberFormat.percent(dejaVu.memorized),
                NumberFormat.fixed(dejaVu.sslmem.memorizedMean), NumberFormat.fixed(dejaVu.sslmem.restMean),
                NumberFormat.pValue(dejaVu.sslmem.pvalue)]
    }

    /// Table 1 per setup, mean ± std over seeds.
    public var groups: [[String]] { summary.setups.map(RunGroup.row) }

    /// Per run: name, candidates, mean ± std over points, linear-probe accuracy.
    public var runs: [[String]] {
        summary.candidates.map { run in
            [run.name, String(run.candidates), NumberFormat.meanStd(run.candidateMean, run.candidateStd),
             run.linearProbeAccuracy.map { NumberFormat.fixed($0) } ?? "—"]
        }
    }

    /// Welch between runs: runs, mean difference, t, df, p.
    public var tests: [[String]] {
        summary.tests.map { t in
            ["\(t.a) vs \(t.b)", NumberFormat.fixed(t.meanDifference), NumberFormat.fixed(t.t, 3),
             NumberFormat.degreesOfFreedom(t.df), NumberFormat.pValue(t.pvalue)]
        }
    }

    static let runColumns = ["run", "candidates", "mean score ± std over points", "linear probe (f)"]
    static let overlapColumns = ["runs", "X", "overlap", "chance", "p (chance)", "τ-b", "p", "n"]
    static let testColumns = ["runs", "mean difference", "t", "df", "p"]

    var kendallColumns: [String] { ["run"] + names }

    var kendallRows: [[String]] {
        summary.kendall.enumerated().map { i, row in
            [names[i]] + row.map { "\(NumberFormat.fixed($0.tau, 3)) (p \(NumberFormat.pValue($0.pvalue)))" }
        }
    }

    var overlapRows: [[String]] {
        summary.overlap.flatMap { pair in
            pair.top.map {
                ["\(pair.a) vs \(pair.b)", String($0.x), NumberFormat.percent($0.overlap),
                 NumberFormat.percent($0.expectedOverlap), NumberFormat.pValue($0.chancePValue),
                 NumberFormat.fixed($0.tau, 3), NumberFormat.pValue($0.pvalue), String($0.common)]
            }
        }
    }

    /// Writes report.html, report.pdf, comparison.json (`ComparisonSummary`), figures/ and tables/ into `directory`.
    public func write(to directory: String, templates: ReportTemplates, paper: PDFPages.Paper = .a4,
                      force: Bool = false) throws -> [String] {
        try ReportWriter.intoPlace(directory, force: force) { temporary in
            try AtomicOutput.write(text: String(decoding: try summary.encoded(), as: UTF8.self) + "\n",
                                   to: temporary + "/comparison.json")
            for figure in figures + [layers?.figure].compactMap({ $0 }) + seedSections.compactMap(\.figure) {
                try figure.write(to: temporary + "/figures", formats: FigureFormat.allCases)
            }
            let tables: [(String, String, [String], [[String]])] = [
                ReportText.findingsTable(findings),
                ("table1", "Memorization of the candidates and linear-probe accuracy per setup, mean $\\pm$ std over "
                 + "seeds (paper Table 1).", RunGroup.columns, groups),
                ("runs", "Memorization of the candidates per run (mean $\\pm$ std) and linear-probe accuracy.",
                 Self.runColumns, runs),
                ("kendall", "Kendall's $\\tau_b$ between runs' candidate scores (two-sided p).", kendallColumns, kendallRows),
                ("overlap", "Top-X overlap of the most memorized candidates, $\\tau_b$ on the common points; chance: the overlap random rankings would give (X/n), with its hypergeometric p.",
                 Self.overlapColumns, overlapRows),
                ("tests", "Welch's two-sided t-test between runs' mean candidate scores (within-run, not across training "
                 + "randomness).", Self.testColumns, tests),
            ] + seedSections.map { ($0.id.replacingOccurrences(of: "-", with: "_"), $0.caption, $0.columns, $0.rows) }
              + (removal.isEmpty ? [] : [
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
            context["studySections"] = try seedSections.map { section -> [String: Any] in
                var entry: [String: Any] = ["id": section.id, "heading": section.heading, "paragraph": section.paragraph,
                                            "columns": section.columns, "rows": section.rows.map { ["cells": $0] }]
                if let figure = section.figure {
                    entry["figure"] = try HTMLReport.inlineFigures([figure], directory: temporary + "/figures")[0]
                }
                return entry
            }
            if let removalFigure = figures.dropFirst().first {
                context["removalFigure"] = try HTMLReport.inlineFigures([removalFigure], directory: temporary + "/figures")[0]
            }
            try AtomicOutput.write(text: try templates.render(context, template: "compare.html"),
                                   to: temporary + "/report.html")
            try PDFReport.write(to: temporary + "/report.pdf", paper: paper, title: title, draw: drawPDF)
        }
    }

    /// The PDF's content after its title.
    func drawPDF(_ pdf: PDFReport) {
        pdf.paragraph("Generated by sslmem \(RunReport.version) on \(date).", size: 8, color: .grey)
        pdf.heading("1  Findings")
        pdf.findings(findings, warnings: warnings)
        pdf.heading("2  Memorization per setup and run")
        pdf.paragraph(Text.setups)
        pdf.table(RunGroup.columns, groups)
        pdf.paragraph(Text.runs)
        pdf.table(Self.runColumns, runs)
        pdf.heading("3  Kendall's τ between runs")
        pdf.paragraph(Text.kendall)
        pdf.table(kendallColumns, kendallRows)
        pdf.figure(figures[0])
        pdf.heading("4  Top-X overlap")
        pdf.paragraph(Text.overlap)
        pdf.table(Self.overlapColumns, overlapRows)
        pdf.heading("5  Tests between runs")
        pdf.paragraph(Text.tests)
        pdf.table(Self.testColumns, tests)
        var section = 6
        for seeds in seedSections {
            pdf.heading("\(section)  \(seeds.heading)")
            pdf.paragraph(seeds.paragraph)
            if let figure = seeds.figure { pdf.figure(figure) }
            pdf.table(seeds.columns, seeds.rows, size: seeds.columns.count > 8 ? 7 : nil)
            section += 1
        }
        if !removal.isEmpty {
            pdf.heading("\(section)  Removing memorized points (Figs. 3, 6, 7)")
            pdf.paragraph(Text.removal)
            pdf.figure(figures[1])
            pdf.table(Self.removalColumns, removal)
            section += 1
        }
        if !dejaVu.isEmpty {
            pdf.heading("\(section)  Déjà Vu and SSLMem (Table 4)")
            pdf.paragraph(Text.dejaVu)
            pdf.table(Self.dejaVuColumns, dejaVu,
                      size: 7)
            section += 1
        }
        if let layers {
            pdf.heading("\(section)  LayerMem profiles")
            pdf.paragraph(Text.layers(layers.sentence))
            pdf.table(layers.columns, layers.rows, size: 7)
            pdf.figure(layers.figure)
            section += 1
        }
        pdf.heading("\(section)  Provenance")
        pdf.provenance(files, commandLine: commandLine)
    }
}
