import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
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
        .numeric("difference [95% CI]"), .numeric("t"), .numeric("df"), .numeric("p (two-sided)"),
    ]
    static let removalColumns: [ReportTable.Column] = [
        .text("test"), .numeric("removed"), .numeric("seeds"), .numeric("mean top"), .numeric("mean random"),
        .numeric("t"), .numeric("df"), .numeric("p (paired t)"), .numeric("p (sign-flip)"),
    ]
    static let linkColumns: [ReportTable.Column] = [.text("setup"), .numeric("seeds"), .numeric("mean SSLMem"),
                                                    .numeric("mean downstream accuracy")]

    /// The section as blocks of the comparison document: heading, paragraph, figure, and its table exported as
    /// tables/NAME.{csv,tex} (NAME: the id with underscores).
    var blocks: [ReportBlock] {
        [.heading(heading, id: id), .paragraph(paragraph)] + (figure.map { [ReportBlock.figure($0)] } ?? [])
            + [.table(ReportTable(columns, rows, export: .init(id.replacingOccurrences(of: "-", with: "_"), caption: caption),
                                  size: columns.count > 8 ? .small : .normal))]
    }

    static func sections(_ summary: ComparisonSummary, removal: RemovalRuns?) -> [SeedSection] {
        var sections: [SeedSection] = []
        if !summary.methodTests.isEmpty {
            sections.append(SeedSection(
                id: "seeds", heading: "Tests between setups over seeds",
                paragraph: "Runs of one setup (method, architecture, dataset; or the same name) are seeds, and each run "
                    + "is one observation: Welch's two-sided t-test over seeds between setups, of each run's mean "
                    + "candidate score (paper Table 1) and of its unnormalized candidate − independent gap. Their variance "
                    + "is the spread between seeds (training randomness), unlike the within-run tests between runs, whose "
                    + "p shrinks with the number of points.",
                caption: "Welch's two-sided t-test over seeds between setups.",
                columns: methodColumns,
                rows: summary.methodTests.map { t in
                    [t.statistic.description, "\(t.a) vs \(t.b)", "\(t.nA) + \(t.nB)", NumberFormat.fixed(t.meanA),
                     NumberFormat.fixed(t.meanB),
                     "\(NumberFormat.fixed(t.meanA - t.meanB)) [\(NumberFormat.fixed(t.ci95[0])), \(NumberFormat.fixed(t.ci95[1]))]",
                     NumberFormat.fixed(t.t, 3), NumberFormat.degreesOfFreedom(t.df), NumberFormat.pValue(t.p)]
                }, figure: nil))
        }
        if let removal {
            sections.append(SeedSection(
                id: "removal-seeds", heading: "Removing memorized points, over seeds (paper Fig. 3)",
                paragraph: "Downstream accuracy of encoders retrained without the N most memorized points (top) and "
                    + "without N random points, per seed. Per size, the paired test over seeds (the encoders of one seed "
                    + "form a pair) of the differences top − random: paired t, one-sided (removal: top lowers accuracy "
                    + "more; coreset: the coreset of the most memorized points keeps accuracy higher), with the exact "
                    + "sign-flip permutation p beside it, which assumes no normality but cannot go below 2⁻ⁿ with n seeds.",
                caption: "Paired tests over seeds of top vs random removal (one-sided), with the exact sign-flip p.",
                columns: removalColumns,
                rows: summary.removalTests.map { t in
                    [t.dataset + ", " + t.kind + " (" + t.alternative + ")", String(t.removed), String(t.nSeeds),
                     NumberFormat.fixed(t.meanTop), NumberFormat.fixed(t.meanRandom), NumberFormat.fixed(t.t, 3),
                     NumberFormat.degreesOfFreedom(t.df), NumberFormat.pValue(t.p), NumberFormat.pValue(t.pPermutation)]
                }, figure: .removalSeeds(removal, width: .double)))
        }
        if let link = summary.accuracyLink, link.nSetups >= 2 {
            let tau = link.tau.isFinite
                ? "Kendall's τ-b over the \(link.nSetups) setups = \(NumberFormat.fixed(link.tau, 3)), 95% bootstrap interval "
                    + "over seeds [\(NumberFormat.fixed(link.ci95[0], 3)), \(NumberFormat.fixed(link.ci95[1], 3))] "
                    + "(\(link.resamples) resamples, seed \(link.seed)), p = \(NumberFormat.pValue(link.p)) two-sided; over "
                    + "the \(link.nRuns) runs τ-b = \(NumberFormat.fixed(link.runsTau, 3)) (p = \(NumberFormat.pValue(link.runsP)), "
                    + "mixing setups and seeds, for reference)."
                : "Kendall's τ-b is not computable: \(link.notComputable ?? "")."
            sections.append(SeedSection(
                id: "accuracy", heading: "Memorization and downstream accuracy",
                paragraph: "Per setup, the mean over its seeds of each run's mean candidate SSLMem score and of its "
                    + "downstream linear-probe accuracy. " + tau
                    + (link.smallestP >= 0.05 ? " With \(link.nSetups) setups the smallest attainable p is "
                        + "\(NumberFormat.pValue(link.smallestP)): the ranking is descriptive." : ""),
                caption: "Mean SSLMem of the candidates and mean downstream accuracy per setup, over seeds.",
                columns: linkColumns,
                rows: link.setups.map {
                    [$0.setup, String($0.seeds), NumberFormat.fixed($0.meanSSLMem), NumberFormat.fixed($0.meanAccuracy)]
                }, figure: .accuracyLink(link, width: .double)))
        }
        return sections
    }
}
