import Foundation
import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemStats
import SSLMemSupport

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

    public static let tops = Conventions.defaults.topX

    /// The paragraphs of the report's document, the same in its HTML (templates/document.html.mustache) and PDF;
    /// `ReportParityTests` checks that they agree.
    enum Text {
        static let setups =
            "Paper Table 1: per setup (method, architecture, dataset), the mean over its runs of each "
            + "run's mean candidate SSLMem score and of f's linear-probe accuracy, ± the standard deviation over seeds "
            + "(shown when a setup has more than one run)."
        static let runs =
            "Each run: its candidates' mean score ± standard deviation over points, and f's linear-probe "
            + "accuracy."
        static let kendall =
            "Kendall's τ-b between the runs' candidate scores, over the candidates both runs scored "
            + "(paper Table 13), one row per pair of runs; p two-sided, Holm-adjusted over the pairs and unadjusted."
        static let overlap =
            "Share of the X most memorized candidates common to two runs, with Kendall's τ-b over those "
            + "common points (paper Table 12). τ is n/a when the two lists share fewer than two points. Chance: the "
            + "share two random rankings of the n candidates would have in common (X/n); p (chance): the "
            + "hypergeometric probability of an overlap at least this large by chance. X equal to the number of "
            + "candidates is left out: every run's top X is then all of them."
        static let tests =
            "Welch's two-sided t-test of the difference between two runs' mean candidate scores, "
            + "the points of each run as its sample: within-run, not across training randomness (its p shrinks with "
            + "the number of points; setups with several seeds are tested over seeds below). Holm p: adjusted over the pairs "
            + "of runs; unadjusted p: the test's own."
        static let removal =
            "Downstream accuracy of encoders retrained without the most memorized points and without "
            + "as many random points (lists from sslmem select)."
        static let dejaVu =
            "Déjà Vu label-inference accuracy at confidence fraction q = 0.2 for each encoder on its "
            + "own training points (target) and on the other's (reference); the share of points Déjà Vu calls "
            + "memorized (over all target points, no confidence filter: the encoder trained on a point infers its "
            + "label and the other does not); and the mean SSLMem score of the candidates it calls memorized "
            + "against the rest (Welch, one-sided)."
        static func layers(_ sentence: String) -> String {
            "LayerMem per layer for the runs whose reports have per-layer dumps; the layer with the highest LayerMem — "
                + sentence + "."
        }
    }

    /// `width`: the figures' printed width and type sizes (`report --compare --venue`): each figure is drawn
    /// at it, not scaled.
    public init(
        runs sources: [RunSource], title: String?, removal: RemovalResults? = nil,
        commandLine: String, width: FigureWidth = .double
    ) throws {
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
        figures = [.kendallHeatmap(comparison, width: width)] + (removal.map { [.removal($0, width: width)] } ?? [])
        layers = LayerComparison.of(sources, width: width)
        seedSections = SeedSection.sections(summary, removal: nil, width: width)
        files = try RunSource.provenanceRows(sources)
        if let path = removal?.file {
            let file = try RunReport.InputFile(path: path)
            files.append(["removal", "removal results", file.path, String(file.bytes), file.sha256])
        }
        self.title = title ?? "SSLMem comparison: " + names.joined(separator: ", ")
        self.commandLine = commandLine
        date = RunReport.reportDate()
    }

    /// A study folder (`sslmem report --study`): the comparison of its runs (seeds of setups), its removal
    /// experiment over seeds, and SSLMem against downstream accuracy.
    public init(study: Study, title: String?, commandLine: String, width: FigureWidth = .double) throws {
        try self.init(
            runs: study.sources, title: title ?? "SSLMem study: " + study.directory, commandLine: commandLine,
            width: width)
        summary = ComparisonSummary(study: study, comparison: comparison)
        seedSections = SeedSection.sections(summary, removal: study.removal, width: width)
        files =
            try study.studyFiles.map { path in
                let file = try RunReport.InputFile(path: path)
                return ["study", "study file", file.path, String(file.bytes), file.sha256]
            } + RunSource.provenanceRows(study.sources)
    }

    static let removalColumns: [ReportTable.Column] = [
        .text("dataset"), .text("kind"), .numeric("points removed"),
        .numeric("accuracy"), .numeric("std")
    ]

    static func removalRows(_ results: RemovalResults) -> [[String]] {
        results.rows.map { row in
            [
                row.dataset, row.kind, NumberFormat.fixed(row.removed, 0), NumberFormat.fixed(row.accuracy),
                row.std.map { NumberFormat.fixed($0) } ?? "—"
            ]
        }
    }

    static let dejaVuColumns: [ReportTable.Column] = [
        .text("run"), .numeric("k"), .numeric("target"), .numeric("reference"), .numeric("gap"),
        .numeric("memorized share"), .numeric("SSLMem, DV-memorized"), .numeric("SSLMem, rest"),
        .numeric("p (Welch, >)")
    ]

    /// One row of Table 4 from a run summary's Déjà Vu results, at the fraction its report chose.
    static func dejaVuRow(_ name: String, _ dejaVu: RunSummary.DejaVu) -> [String]? {
        guard let at = dejaVu.table4 else { return nil }
        return [
            name, String(dejaVu.k), NumberFormat.fixed(at.target), NumberFormat.fixed(at.reference),
            at.gap.map { NumberFormat.fixed($0) } ?? "n/a", NumberFormat.percent(dejaVu.memorized),
            NumberFormat.fixed(dejaVu.sslmem.memorizedMean), NumberFormat.fixed(dejaVu.sslmem.restMean),
            NumberFormat.pValue(dejaVu.sslmem.pvalue)
        ]
    }

    /// Whether some setup has several runs (seeds): only then do Table 1's columns say "over seeds".
    var hasSeeds: Bool { summary.setups.contains { $0.runs.count > 1 } }

    /// Table 1 per setup, mean ± std over seeds.
    public var groups: [[String]] { summary.setups.map(RunGroup.row) }

    /// Per run: name, candidates, mean ± std over points, linear-probe accuracy.
    public var runs: [[String]] {
        summary.candidates.map { run in
            [
                run.name, String(run.candidates), NumberFormat.meanStd(run.candidateMean, run.candidateStd),
                run.linearProbeAccuracy.map { NumberFormat.fixed($0) } ?? "—"
            ]
        }
    }

    /// Welch between runs: runs, mean difference, t, df, Holm p (over the pairs, the family of the findings'
    /// "A and B memorize to different degrees"; NaN p stays out of it) and the unadjusted p.
    public var tests: [[String]] {
        let finite = summary.tests.indices.filter { summary.tests[$0].pvalue.isFinite }
        var holm = [Double](repeating: .nan, count: summary.tests.count)
        for (i, p) in zip(finite, PValueAdjustment.holm(finite.map { summary.tests[$0].pvalue })) { holm[i] = p }
        return zip(summary.tests, holm).map { t, adjusted in
            [
                "\(t.a) vs \(t.b)", NumberFormat.fixed(t.meanDifference), NumberFormat.fixed(t.t, 3),
                NumberFormat.degreesOfFreedom(t.df), NumberFormat.pValue(adjusted), NumberFormat.pValue(t.pvalue)
            ]
        }
    }

    static let runColumns: [ReportTable.Column] = [
        .text("run"), .numeric("candidates"),
        .numeric("mean score ± std over points"), .numeric("linear probe (f)")
    ]
    static let overlapColumns: [ReportTable.Column] = [
        .text("runs"), .numeric("X"), .numeric("overlap"), .numeric("chance"), .numeric("p (chance)"), .numeric("τ-b"),
        .numeric("p"), .numeric("n")
    ]
    static let testColumns: [ReportTable.Column] = [
        .text("runs"), .numeric("mean difference"), .numeric("t"),
        .numeric("df"), .numeric("Holm p"), .numeric("unadjusted p")
    ]

    static let kendallColumns: [ReportTable.Column] = [
        .text("runs"), .numeric("τ-b"), .numeric("Holm p"),
        .numeric("unadjusted p"), .numeric("candidates")
    ]

    /// One row per pair of runs (the matrix's upper triangle: τ is symmetric and 1 on the diagonal): τ-b over the
    /// candidates both scored, the Holm p over the pairs (the family of the findings' "A and B rank the
    /// candidates alike") and the test's own, two-sided.
    var kendallRows: [[String]] {
        var pairs: [(Int, Int)] = []
        for i in names.indices { for j in names.indices where j > i { pairs.append((i, j)) } }
        let p = pairs.map { summary.kendall[$0.0][$0.1].pvalue }
        let finite = p.indices.filter { p[$0].isFinite }
        var holm = [Double](repeating: .nan, count: p.count)
        for (k, adjusted) in zip(finite, PValueAdjustment.holm(finite.map { p[$0] })) { holm[k] = adjusted }
        return pairs.enumerated().map { k, pair in
            let kendall = summary.kendall[pair.0][pair.1]
            return [
                "\(names[pair.0]) vs \(names[pair.1])", NumberFormat.fixed(kendall.tau, 3),
                NumberFormat.pValue(holm[k]),
                NumberFormat.pValue(kendall.pvalue), String(kendall.n)
            ]
        }
    }

    /// The table's rows: X below the number of candidates (comparison.json keeps X = n, where every run's top X
    /// is all of them: 100% overlap by construction, which the table leaves out).
    var overlapRows: [[String]] {
        let n = summary.candidates.map(\.candidates).min() ?? 0
        return summary.overlap.flatMap { pair in
            pair.top.filter { $0.x < n }.map {
                [
                    "\(pair.a) vs \(pair.b)", String($0.x), NumberFormat.percent($0.overlap),
                    NumberFormat.percent($0.expectedOverlap), NumberFormat.pValue($0.chancePValue),
                    NumberFormat.fixed($0.tau, 3), NumberFormat.pValue($0.pvalue), String($0.common)
                ]
            }
        }
    }

    /// Writes report.html, report.pdf, comparison.json (`ComparisonSummary`), figures/ and tables/ into `directory`.
    public func write(
        to directory: String, templates: ReportTemplates, paper: PDFPages.Paper = .a4,
        force: Bool = false
    ) throws -> [String] {
        try ReportWriter.intoPlace(directory, force: force) { temporary in
            try AtomicOutput.write(
                text: String(decoding: try summary.encoded(), as: UTF8.self) + "\n",
                to: temporary + "/comparison.json")
            try ReportWriter.write(document, into: temporary, templates: templates, paper: paper)
        }
    }

    /// The report as one document (see `ReportDocument` for adding a section).
    public var document: ReportDocument {
        var document = ReportDocument(title: title, date: date)
        document += ReportText.findingsBlocks(findings, caveats: warnings)
        document += [
            .heading("Memorization per setup and run", id: "runs"), .paragraph(Text.setups),
            .table(
                ReportTable(
                    RunGroup.columns(seeds: hasSeeds), groups,
                    export: .init(
                        "table1",
                        caption: "Memorization of the candidates and linear-probe accuracy per setup"
                            + (hasSeeds ? ", mean ± std over seeds" : "") + " (paper Table 1)."))),
            .paragraph(Text.runs),
            .table(
                ReportTable(
                    Self.runColumns, runs,
                    export: .init(
                        "runs",
                        caption: "Memorization of the candidates per run (mean ± std over points) and linear-probe "
                            + "accuracy."))),
            .heading("Kendall's τ between runs", id: "kendall"), .paragraph(Text.kendall),
            .table(
                ReportTable(
                    Self.kendallColumns, kendallRows,
                    export: .init(
                        "kendall",
                        caption: "Kendall's τ-b between runs' candidate scores, per pair of runs (two-sided p, "
                            + "Holm-adjusted over the pairs and unadjusted)."))),
            .figure(figures[0]),
            .heading("Top-X overlap", id: "overlap"), .paragraph(Text.overlap),
            .table(
                ReportTable(
                    Self.overlapColumns, overlapRows,
                    export: .init(
                        "overlap",
                        caption: "Top-X overlap of the most memorized candidates, τ-b on the common points; "
                            + "chance: the overlap random rankings would give (X/n), with its hypergeometric p."))),
            .heading("Tests between runs", id: "tests"), .paragraph(Text.tests),
            .table(
                ReportTable(
                    Self.testColumns, tests,
                    export: .init(
                        "tests",
                        caption: "Welch's two-sided t-test between runs' mean candidate scores (within-run, not across "
                            + "training randomness).")))
        ]
        // Seeds as the unit (a study): tests between setups over seeds, removal over seeds, accuracy link.
        for section in seedSections { document += section.blocks }
        if !removal.isEmpty {
            document += [
                .heading("Removing memorized points (paper Figs. 3, 6, 7)", id: "removal"), .paragraph(Text.removal),
                .figure(figures[1]),
                .table(
                    ReportTable(
                        Self.removalColumns, removal,
                        export: .init(
                            "removal",
                            caption: "Downstream accuracy after removing the most memorized or random points "
                                + "(paper Fig. 3).")))
            ]
        }
        if !dejaVu.isEmpty {
            document += [
                .heading("Déjà Vu and SSLMem (paper Table 4)", id: "dejavu"), .paragraph(Text.dejaVu),
                .table(
                    ReportTable(
                        Self.dejaVuColumns, dejaVu,
                        export: .init(
                            "dejavu",
                            caption: "Déjà Vu at confidence fraction 0.2 and SSLMem of the candidates it calls "
                                + "memorized (paper Table 4)."), size: .small))
            ]
        }
        if let layers {
            document += [
                .heading("LayerMem profiles", id: "layers"), .paragraph(Text.layers(layers.sentence)),
                .table(
                    ReportTable(
                        layers.columns, layers.rows,
                        export: .init(
                            "layers", caption: "LayerMem and ΔLayerMem per layer and run."), size: .small)),
                .figure(layers.figure)
            ]
        }
        document += ReportText.provenanceBlocks(files, commandLine: commandLine)
        return document
    }
}
