import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemSupport

/// A run report's membership-audit section: ROC curves (linear and log–log),
/// AUC and TPR at low FPR of −align_f and of the score, and the score's
/// distribution for members and non-members.
public struct AuditSection {
    public let audit: MembershipAudit
    public let figures: [PaperFigure]

    /// The audit, or nil when the run has no candidates or no extra points.
    static func of(_ scores: ScoresTable, width: FigureWidth) -> AuditSection? {
        guard let audit = try? MembershipAudit(scores) else { return nil }
        return AuditSection(audit: audit, figures: PaperFigure.auditFigures(audit, width: width))
    }

    static let columns: [ReportTable.Column] = [
        .text("signal"), .numeric("AUC [95% CI]"), .numeric("TPR at 1% FPR"),
        .numeric("threshold"), .numeric("TPR at 0.1% FPR"), .numeric("threshold")
    ]

    /// AUC with DeLong's interval; a TPR at an FPR below 1/n_non-members reads "—" (the section says why).
    var rows: [[String]] {
        audit.signals.map { signal in
            let ci = signal.aucInterval
            func threshold(_ t: Double) -> String { t.isFinite ? NumberFormat.fixed(t) : "none" }
            func tpr(_ k: Int) -> [String] {
                let limit = MembershipAudit.falsePositiveRates[k]
                let point = signal.atLowFalsePositiveRates[k]
                return signal.isMeasurable(atFalsePositiveRate: limit)
                    ? [NumberFormat.fixed(point.truePositiveRate), threshold(point.threshold)]
                    : ["—", "—"]
            }
            return [
                signal.name, NumberFormat.fixed(signal.roc.auc, 3) + " " + NumberFormat.interval(ci.lower, ci.upper, 3)
            ] + tpr(0) + tpr(1)
        }
    }

    var introduction: String {
        "A membership-inference audit from the same dumps (as ML Privacy Meter and TF Privacy report it): can a "
            + "threshold on a signal tell the \(audit.signals[0].members.count) candidates, on which f trained, from "
            + "the \(audit.signals[0].nonMembers.count) extra points no encoder saw? −align_f is the loss attack on f "
            + "alone; the SSLMem score calibrates it by g. AUC 0.5 is chance; its 95% interval is DeLong's (1988). "
            + "\"none\": no threshold reaches that false positive rate. With n non-members the false positive rate "
            + "moves in steps of 1/n, so a TPR at a lower rate is not measurable and is not shown."
    }

    /// Introduction, table (without the operating points n non-members cannot measure, with a line saying
    /// so) and figures.
    var blocks: [ReportBlock] {
        let n = audit.signals[0].nonMembers.count
        let (table, dropped) = ReportTable(
            Self.columns, rows,
            export: .init(
                "audit",
                caption: "Membership audit: candidates (members) against extra points (non-members); "
                    + "— where n non-members cannot measure a TPR at that FPR.")
        ).withoutEmptyColumns()
        var blocks: [ReportBlock] = [.heading("Membership audit", id: "audit"), .paragraph(introduction), .table(table)]
        if !dropped.isEmpty {
            let rates = dropped.filter { $0.hasPrefix("TPR") }.map { $0.replacingOccurrences(of: "TPR at ", with: "") }
            blocks.append(
                .paragraph(
                    "Not shown: the TPR at " + rates.joined(separator: " and ") + " and its threshold. "
                        + "With \(n) non-members the false positive rate moves in steps of 1/\(n) = "
                        + NumberFormat.general(1 / Double(n)) + ", too coarse to measure a TPR there.", .note))
        }
        return blocks + figures.map { .figure($0) }
    }
}
