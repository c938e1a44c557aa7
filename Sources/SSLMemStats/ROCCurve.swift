/// The receiver operating characteristic of a membership signal: a point is
/// called a member when its signal is at least a threshold t.
///
/// Points: one per distinct signal value t, from the highest down, plus (0, 0)
/// for t = +∞; TPR(t) = #{members with s ≥ t}/P, FPR(t) = #{non-members with
/// s ≥ t}/N — scikit-learn's `roc_curve(drop_intermediate=False)`.
/// AUC = P(s_member > s_non-member) + ½·P(equal) = U/(P·N), the Mann–Whitney
/// form of the area under the curve, which equals `roc_auc_score`.
public struct ROCCurve: Sendable {
    public struct Point: Sendable, Equatable {
        public let threshold: Double
        public let falsePositiveRate: Double
        public let truePositiveRate: Double
    }

    public let points: [Point]
    public let auc: Double
    public let positives: Int
    public let negatives: Int

    /// `members` and `nonMembers` hold finite signals; each needs at least one.
    public init(members: [Double], nonMembers: [Double]) {
        precondition(!members.isEmpty && !nonMembers.isEmpty, "ROC needs members and non-members")
        let all = (members.map { ($0, true) } + nonMembers.map { ($0, false) }).sorted { $0.0 > $1.0 }
        let p = Double(members.count)
        let n = Double(nonMembers.count)
        var points = [Point(threshold: .infinity, falsePositiveRate: 0, truePositiveRate: 0)]
        var tp = 0
        var fp = 0
        var i = 0
        var u = 0.0  // Mann–Whitney U: member–non-member pairs ordered right, ties ½
        while i < all.count {
            let value = all[i].0
            var groupTP = 0
            var groupFP = 0
            while i < all.count && all[i].0 == value {
                if all[i].1 { groupTP += 1 } else { groupFP += 1 }
                i += 1
            }
            // Members in this group beat the non-members below it and tie with those in it.
            u += Double(groupTP) * (n - Double(fp + groupFP)) + 0.5 * Double(groupTP) * Double(groupFP)
            tp += groupTP
            fp += groupFP
            points.append(Point(threshold: value, falsePositiveRate: Double(fp) / n, truePositiveRate: Double(tp) / p))
        }
        self.points = points
        auc = u / (p * n)
        positives = members.count
        negatives = nonMembers.count
    }

    /// The highest TPR among thresholds with FPR ≤ `limit`, and the ROC point
    /// (lowest such threshold) that reaches it.
    public func truePositiveRate(atFalsePositiveRate limit: Double) -> Point {
        points.filter { $0.falsePositiveRate <= limit }.max {
            ($0.truePositiveRate, -$0.threshold) < ($1.truePositiveRate, -$1.threshold)
        }!
    }
}
