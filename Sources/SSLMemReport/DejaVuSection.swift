import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemSupport

/// A run report's Déjà Vu section: the attack's target and reference accuracy
/// at a few confidence fractions, the quadrant shares, the accuracy-vs-fraction
/// figure, and SSLMem of the points Déjà Vu calls memorized (paper Table 4).
public struct DejaVuSection {
    public let attack: DejaVuAttack
    public let agreement: DejaVuAgreement
    public let figure: PaperFigure
    /// q, points, target, reference, gap and its bootstrap interval per fraction (computed once: the bootstrap is not free).
    let fractionRows: [[String]]
    /// Set when k was lowered below the public set's size (`DejaVuAttack.usableK`): a caveat of the report.
    public var warning: String?
    public static let fractions = [0.05, 0.2, 1.0]

    /// The attack on a single f/g pair with `/dejavu` groups, or nil when the run has none.
    static func of(
        f: [RepresentationsFile], g: [RepresentationsFile], scores: ScoresTable, k: Int,
        width: FigureWidth
    ) throws -> DejaVuSection? {
        guard f.count == 1, g.count == 1, f[0].file.exists("/dejavu"), g[0].file.exists("/dejavu") else { return nil }
        let fSet = try DejaVuSet(f[0])
        let gSet = try DejaVuSet(g[0])
        // A public set no larger than k: the attack runs with k one below it, with a warning, rather than failing
        // the whole report (or returning a gap of 0 by construction).
        let (usable, warning) = DejaVuAttack.usableK(k, publicCounts: [fSet.publicLabel.count, gSet.publicLabel.count])
        let attack = try DejaVuAttack(f: fSet, g: gSet, k: usable)
        var section = DejaVuSection(
            attack: attack, agreement: DejaVuAgreement(attack, scores: scores),
            figure: .dejaVuAccuracy(attack, width: width), fractionRows: fractionRows(attack))
        section.warning = warning
        return section
    }

    static let fractionColumns: [ReportTable.Column] = [
        .numeric("q"), .numeric("points (A, B)"), .numeric("target"),
        .numeric("reference"), .numeric("gap"), .numeric("gap 95% CI")
    ]

    static func fractionRows(_ attack: DejaVuAttack) -> [[String]] {
        fractions.map { q in
            let t = attack.target(q)
            let r = attack.reference(q)
            let ci = attack.gapInterval(q)
            return [
                NumberFormat.fixed(q, 2),
                "\(DejaVuAttack.selectedCount(q, of: attack.a.count)), "
                    + "\(DejaVuAttack.selectedCount(q, of: attack.b.count))",
                NumberFormat.fixed(t), NumberFormat.fixed(r), NumberFormat.fixed(t - r),
                NumberFormat.interval(ci.lower, ci.upper)
            ]
        }
    }

    static let quadrantColumns: [ReportTable.Column] = [.text("outcome over A and B"), .numeric("share")]

    var quadrantRows: [[String]] {
        let q = attack.quadrants
        return [
            ["memorized: own encoder right, other wrong", NumberFormat.percent(q.memorized)],
            ["forgotten: own encoder wrong, other right", NumberFormat.percent(q.forgotten)],
            ["correlated: both right", NumberFormat.percent(q.correlated)],
            ["both wrong", NumberFormat.percent(q.bothWrong)]
        ]
    }

    static let agreementColumns: [ReportTable.Column] = [
        .text("candidates"), .numeric("n"), .numeric("mean SSLMem"),
        .numeric("std")
    ]

    var agreementRows: [[String]] {
        [("Déjà Vu-memorized", agreement.memorized), ("the rest", agreement.rest)].map { name, d in
            [name, String(d.count), NumberFormat.fixed(d.mean), NumberFormat.fixed(d.standardDeviation)]
        }
    }

    var introduction: String {
        "Déjà Vu (Meehan et al. 2023) infers a point's label from a periphery crop alone, by majority vote over its "
            + "k = \(attack.k) nearest public examples, once with each encoder. Set A holds the \(attack.a.count) "
            + "candidates with crops, set B the \(attack.b.count) independent points. Target accuracy averages each "
            + "encoder on the points it trained on, reference accuracy each encoder on the points it did not; both "
            + "are taken on the fraction q of points the attack is most confident about (lowest neighbour-label entropy). "
            + "The gap's 95% interval comes from 1,000 seeded bootstrap resamples of the target points: it is the "
            + "uncertainty over points, not over retrained encoders."
    }

    /// Table 4 in a sentence: one-sided Welch test, Déjà Vu-memorized candidates > the rest.
    var agreementSentence: String {
        let r = agreement.test
        if let reason = r.notComputable {
            return "H₁: candidates Déjà Vu calls memorized score higher than the other candidates — not computable: "
                + "\(reason)."
        }
        let verdict = r.pValue < 0.05 ? "supported" : "not supported"
        return
            "H₁: candidates Déjà Vu calls memorized score higher than the other candidates — \(verdict) (mean SSLMem "
            + "\(NumberFormat.fixed(agreement.memorized.mean)) against \(NumberFormat.fixed(agreement.rest.mean)); Welch, "
            + "one-sided, t = \(NumberFormat.fixed(r.statistic, 2)), unadjusted p = \(NumberFormat.pValue(r.pValue)), a "
            + "single test at the 5% level)."
    }

    /// The section's blocks: introduction, accuracy per fraction, outcomes, figure, then SSLMem next to Déjà Vu.
    var blocks: [ReportBlock] {
        [
            .heading("Déjà Vu memorization", id: "dejavu"), .paragraph(introduction),
            .table(
                ReportTable(
                    Self.fractionColumns, fractionRows,
                    export: .init(
                        "dejavu",
                        caption: "Déjà Vu label-inference accuracy on the most confident fraction q of points "
                            + "(k = \(attack.k))."))),
            .table(
                ReportTable(
                    Self.quadrantColumns, quadrantRows,
                    export: .init(
                        "dejavu_quadrants", caption: "Déjà Vu outcomes over sets A and B."))),
            .figure(figure),
            .heading("SSLMem next to Déjà Vu (paper Table 4)", id: "dejavu-sslmem", level: 3),
            .table(
                ReportTable(
                    Self.agreementColumns, agreementRows,
                    export: .init(
                        "dejavu_sslmem",
                        caption: "SSLMem of the candidates Déjà Vu calls memorized and of the rest (paper "
                            + "Table 4)."))),
            .paragraph(agreementSentence, .note)
        ]
    }

    /// The fraction q at which Table 4 reports target, reference and gap (the paper's choice).
    public static let table4Fraction = 0.2

    /// summary.json's "dejavu": `sslmem dejavu --json` plus the Table 4 comparison.
    var summary: RunSummary.DejaVu {
        RunSummary.DejaVu(attack, agreement: agreement, fractions: Self.fractions, table4Q: Self.table4Fraction)
    }
}
