import ArgumentParser
import SSLMemAnalysis
import SSLMemCore
import SSLMemIO
import SSLMemStats
import SSLMemSupport

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Membership audit: how well −align_f and the SSLMem score tell f's training points from unseen ones.",
        discussion: """
            Members: the candidates (f trained on them); non-members: the extra points (neither encoder did). \
            For each signal, the ROC curve (a point is called a member when its signal is at least a threshold), \
            AUC (= scikit-learn's roc_auc_score) and the TPR at 1% and 0.1% FPR with the thresholds reaching them.
            """)

    @OptionGroup var encoders: EncoderFiles

    @OptionGroup var scoring: ScoringOptions

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    func validate() throws {
        try encoders.requireBoth()
    }

    func run() throws {
        try requireInputs(encoders.f + encoders.g)
        let audit: MembershipAudit
        do {
            audit = try MembershipAudit(
                try Memorization.score(
                    f: encoders.f, g: encoders.g, options: scoring.options,
                    normalization: scoring.normalize, rangeOver: scoring.rangeOver,
                    workers: scoring.workers))
        } catch let error as SSLMemError {
            throw error.located(file: encoders.f[0])
        }
        if json {
            print(audit.json.text)
            return
        }
        print(
            "Members: \(audit.signals[0].members.count) candidates; non-members: "
                + "\(audit.signals[0].nonMembers.count) extra points\n")
        var table = TextTable(
            "signal", "AUC", "95% CI (DeLong)", "TPR @ 1% FPR", "threshold", "TPR @ 0.1% FPR",
            "threshold")
        for signal in audit.signals {
            let (low, lower) = (signal.atLowFalsePositiveRates[0], signal.atLowFalsePositiveRates[1])
            let ci = signal.aucInterval
            func tpr(_ point: ROCCurve.Point, _ limit: Double) -> [String] {
                signal.isMeasurable(atFalsePositiveRate: limit)
                    ? [fixed(point.truePositiveRate), fixed(point.threshold)]
                    : ["not measurable at n = \(signal.nonMembers.count)", "-"]
            }
            table.add(
                [signal.name, fixed(signal.roc.auc), "[\(fixed(ci.lower)), \(fixed(ci.upper))]"]
                    + tpr(low, MembershipAudit.falsePositiveRates[0])
                    + tpr(lower, MembershipAudit.falsePositiveRates[1]))
        }
        print(table.text)
        print(
            "\nA threshold of inf means no threshold reaches that FPR: nothing is called a member. A TPR at an FPR "
                + "below 1/n_non-members is not measurable: the FPR moves in steps of 1/n.")
    }
}
