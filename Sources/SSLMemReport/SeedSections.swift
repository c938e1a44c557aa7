import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemSupport

/// The sections of a comparison report with the seed as the unit, from its `ComparisonSummary`: tests between
/// setups over seeds (`MethodTest`), a study's removal experiment (`RemovalTest` and the per-seed removal figure)
/// and SSLMem against downstream accuracy (`AccuracyLink` and its scatter). Each is a heading, a paragraph, a
/// table and optionally a figure, rendered as blocks of the comparison's
/// `ReportDocument` (HTML, PDF, LaTeX) and as tables/NAME.{csv,tex}.
struct SeedSection {
    var id: String
    var heading: String
    var paragraph: String
    var caption: String
    var columns: [ReportTable.Column]
    var rows: [[String]]
    var figure: PaperFigure?

    static let methodColumns: [ReportTable.Column] = [
        .text("statistic"), .text("setups"), .numeric("seeds"), .numeric("mean A"), .numeric("mean B"),
        .numeric("difference [95% CI]"), .numeric("t"), .numeric("df"), .numeric("Holm p"),
        .numeric("unadjusted p")
    ]
    static let removalColumns: [ReportTable.Column] = [
        .text("test"), .numeric("removed"), .numeric("seeds"), .numeric("mean top"), .numeric("mean random"),
        .numeric("t"), .numeric("df"), .numeric("Holm p (paired t)"), .numeric("unadjusted p (paired t)"),
        .numeric("p (sign-flip)")
    ]
    static let linkColumns: [ReportTable.Column] = [
        .text("setup"), .numeric("seeds"), .numeric("mean SSLMem"),
        .numeric("mean downstream accuracy")
    ]

    /// The section as blocks of the comparison document: heading, paragraph, figure, and its table exported as
    /// tables/NAME.{csv,tex} (NAME: the id with underscores).
    var blocks: [ReportBlock] {
        [.heading(heading, id: id), .paragraph(paragraph)] + (figure.map { [ReportBlock.figure($0)] } ?? [])
            + [
                .table(
                    ReportTable(
                        columns, rows, export: .init(id.replacingOccurrences(of: "-", with: "_"), caption: caption),
                        size: columns.count > 8 ? .small : .normal))
            ]
    }

    /// `width`: the figures' printed width and type sizes (`report --venue`).
    static func sections(_ summary: ComparisonSummary, removal: RemovalRuns?, width: FigureWidth = .double)
        -> [SeedSection]
    {
        var sections: [SeedSection] = []
        if !summary.methodTests.isEmpty {
            let holm = Findings.seedsAdjusted(summary.methodTests)
            sections.append(
                SeedSection(
                    id: "seeds", heading: "Tests between setups over seeds",
                    paragraph:
                        "Runs of one setup (method, architecture, dataset; or the same name) are seeds, and each run "
                        + "is one observation: Welch's two-sided t-test over seeds between setups, of each run's mean "
                        + "candidate score (paper Table 1) and of its unnormalized candidate − independent gap. Their variance "
                        + "is the spread between seeds (training randomness), unlike the within-run tests between runs, whose "
                        + "p shrinks with the number of points. Holm p: adjusted over the pairs of setups, one family per "
                        + "statistic, and what the findings decide with; unadjusted p: the test's own.",
                    caption: "Welch's two-sided t-test over seeds between setups (Holm-adjusted and unadjusted p).",
                    columns: methodColumns,
                    rows: zip(summary.methodTests, holm).map { t, adjusted in
                        [
                            t.statistic.description, "\(t.a) vs \(t.b)", "\(t.nA) + \(t.nB)",
                            NumberFormat.fixed(t.meanA),
                            NumberFormat.fixed(t.meanB),
                            "\(NumberFormat.fixed(t.meanA - t.meanB)) [\(NumberFormat.fixed(t.ci95[0])), \(NumberFormat.fixed(t.ci95[1]))]",
                            NumberFormat.fixed(t.t, 3), NumberFormat.degreesOfFreedom(t.df),
                            NumberFormat.pValue(adjusted),
                            NumberFormat.pValue(t.p)
                        ]
                    }, figure: nil))
        }
        if let removal {
            let holm = Findings.removalAdjusted(summary.removalTests)
            let floors = Set(summary.removalTests.map(\.nSeeds).filter { $0 > 0 }).sorted().map { n in
                "\(n) seed\(n == 1 ? "" : "s"): \(NumberFormat.pValue(1 / Double(1 << min(n, 62))))"
            }
            sections.append(
                SeedSection(
                    id: "removal-seeds", heading: "Removing memorized points, over seeds (paper Fig. 3)",
                    paragraph:
                        "Downstream accuracy of encoders retrained without the N most memorized points (top) and "
                        + "without N random points, per seed. Per size, the paired test over seeds (the encoders of one seed "
                        + "form a pair) of the differences top − random: paired t, one-sided (removal: top lowers accuracy "
                        + "more; coreset: the coreset of the most memorized points keeps accuracy higher), with the exact "
                        + "sign-flip permutation p beside it, which assumes no normality but cannot go below 2⁻ⁿ with n seeds"
                        + (floors.isEmpty ? "" : " (here " + floors.joined(separator: ", ") + ")")
                        + ". A finding is supported when both the Holm-adjusted paired t p (one family per kind) and the "
                        + "sign-flip p are below 0.05.",
                    caption:
                        "Paired tests over seeds of top vs random removal (one-sided): Holm-adjusted and unadjusted "
                        + "paired t p, and the exact sign-flip p.",
                    columns: removalColumns,
                    rows: zip(summary.removalTests, holm).map { t, adjusted in
                        [
                            t.dataset + ", " + t.kind + " (" + t.alternative + ")", String(t.removed), String(t.nSeeds),
                            NumberFormat.fixed(t.meanTop), NumberFormat.fixed(t.meanRandom), NumberFormat.fixed(t.t, 3),
                            NumberFormat.degreesOfFreedom(t.df), NumberFormat.pValue(adjusted),
                            NumberFormat.pValue(t.p),
                            NumberFormat.pValue(t.pPermutation)
                        ]
                    }, figure: .removalSeeds(removal, width: width)))
        }
        if let link = summary.accuracyLink, link.nSetups >= 2 {
            let tau =
                link.tau.isFinite
                ? "Kendall's τ-b over the \(link.nSetups) setups = \(NumberFormat.fixed(link.tau, 3)), 95% bootstrap interval "
                    + "over seeds [\(NumberFormat.fixed(link.ci95[0], 3)), \(NumberFormat.fixed(link.ci95[1], 3))] "
                    + "(\(link.resamples) resamples, seed \(link.seed)), p = \(NumberFormat.pValue(link.p)) two-sided (a single "
                    + "test, not adjusted); over "
                    + "the \(link.nRuns) runs τ-b = \(NumberFormat.fixed(link.runsTau, 3)) (p = \(NumberFormat.pValue(link.runsP)), "
                    + "mixing setups and seeds, for reference)."
                : "Kendall's τ-b is not computable: \(link.notComputable ?? "")."
            sections.append(
                SeedSection(
                    id: "accuracy", heading: "Memorization and downstream accuracy",
                    paragraph:
                        "Per setup, the mean over its seeds of each run's mean candidate SSLMem score and of its "
                        + "downstream linear-probe accuracy. " + tau
                        + (link.smallestP >= 0.05
                            ? " With \(link.nSetups) setups the smallest attainable p is "
                                + "\(NumberFormat.pValue(link.smallestP)), so it can never reach 0.05: the ranking is descriptive."
                            : ""),
                    caption: "Mean SSLMem of the candidates and mean downstream accuracy per setup, over seeds.",
                    columns: linkColumns,
                    rows: link.setups.map {
                        [
                            $0.setup, String($0.seeds), NumberFormat.fixed($0.meanSSLMem),
                            NumberFormat.fixed($0.meanAccuracy)
                        ]
                    }, figure: .accuracyLink(link, width: width)))
        }
        return sections
    }
}
