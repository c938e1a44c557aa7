import SSLMemIO
import SSLMemModel
import SSLMemStats
import SSLMemSupport

/// A membership-inference audit from the SSLMem dumps (what ML Privacy Meter
/// and TF Privacy report): how well a signal separates the members of f's
/// training set (the candidates) from points neither encoder saw (extra).
///
/// Signals: −align_f (a member's views are closer together on f: the loss
/// attack on alignment) and the SSLMem score (the same, calibrated by g).
/// For each: the ROC curve (`ROCCurve`), its AUC and the TPR at 1% and 0.1%
/// FPR with the thresholds that reach them.
public struct MembershipAudit: Sendable {
    public struct Signal: Sendable {
        public let name: String
        public let members: [Double]
        public let nonMembers: [Double]
        public let roc: ROCCurve

        /// The ROC point reaching the highest TPR at each of `falsePositiveRates`.
        public var atLowFalsePositiveRates: [ROCCurve.Point] {
            MembershipAudit.falsePositiveRates.map(roc.truePositiveRate(atFalsePositiveRate:))
        }

        /// AUC with DeLong's 95% interval (`DeLongInterval`; not a bootstrap).
        public var aucInterval: DeLongInterval { DeLongInterval(members: members, nonMembers: nonMembers) }

        /// Whether a TPR at FPR ≤ `limit` can be measured: the FPR moves in steps of 1/n_non-members, so a
        /// limit below one step can only be met by calling no non-member a member at all.
        public func isMeasurable(atFalsePositiveRate limit: Double) -> Bool {
            limit * Double(nonMembers.count) >= 1
        }
    }

    public static let falsePositiveRates = [0.01, 0.001]
    public let signals: [Signal]

    /// Throws unless the table has candidates and extra points.
    public init(_ table: ScoresTable) throws {
        let members = table.index.indices.filter { table.subset[$0] == .candidate }
        let nonMembers = table.index.indices.filter { table.subset[$0] == .extra }
        guard !members.isEmpty, !nonMembers.isEmpty else {
            throw SSLMemError(
                "the audit needs candidate points (members of f) and extra points (non-members); "
                    + "this run has \(members.count) and \(nonMembers.count)")
        }
        signals = [("−align_f", table.alignF.map { -$0 }), ("score", table.score)].map { name, values in
            let m = members.map { values[$0] }
            let n = nonMembers.map { values[$0] }
            return Signal(name: name, members: m, nonMembers: n, roc: ROCCurve(members: m, nonMembers: n))
        }
    }

    /// `sslmem audit --json`: {"members": "candidate", "non_members": "extra", "n_members",
    /// "n_non_members", "signals": [{"signal", "auc", "auc_ci95", "tpr_at_fpr": [{"fpr_max", "tpr", "fpr",
    /// "threshold", "note"?}]}]}: auc_ci95 is DeLong's 95% interval; "note" ("not measurable at n = …") is added
    /// where fpr_max is below 1/n_non_members, where the TPR is not a measurement.
    /// The same shape as summary.json's "audit" (`RunSummary.Audit`).
    public var json: JSONValue {
        (try? JSONValueEncoder.encode(RunSummary.Audit(self))) ?? .null  // numbers and strings only: cannot fail
    }
}
