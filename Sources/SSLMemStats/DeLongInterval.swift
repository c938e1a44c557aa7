import Foundation

/// DeLong, DeLong & Clarke-Pearson (1988): the variance of the Mann–Whitney AUC from its placement values,
/// and a normal 95% interval AUC ± 1.96·√var clipped to [0, 1]. Placements by midranks (Sun & Xu 2014):
/// V₁₀(xᵢ) = (R(xᵢ) − R_X(xᵢ))/n, the share of non-members below member i (ties ½), and
/// V₀₁(yⱼ) = 1 − (R(yⱼ) − R_Y(yⱼ))/m; var = s²(V₁₀)/m + s²(V₀₁)/n with ddof 1, where R is the midrank
/// in the pooled sample and R_X, R_Y within each sample. Needs at least 2 members and 2 non-members.
public struct DeLongInterval: Sendable, Equatable {
    public var auc: Double
    public var variance: Double
    public var lower: Double
    public var upper: Double

    public init(members x: [Double], nonMembers y: [Double]) {
        let m = Double(x.count)
        let n = Double(y.count)
        guard x.count >= 2, y.count >= 2 else {
            auc = .nan
            variance = .nan
            lower = .nan
            upper = .nan
            return
        }
        let pooled = Self.midranks(x + y)
        let rx = Self.midranks(x)
        let ry = Self.midranks(y)
        let v10 = x.indices.map { (pooled[$0] - rx[$0]) / n }
        let v01 = y.indices.map { 1 - (pooled[x.count + $0] - ry[$0]) / m }
        auc = v10.reduce(0, +) / m
        func sampleVariance(_ v: [Double]) -> Double {
            let mean = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
        }
        variance = sampleVariance(v10) / m + sampleVariance(v01) / n
        let half = 1.959963984540054 * variance.squareRoot()
        lower = max(0, auc - half)
        upper = min(1, auc + half)
    }

    /// 1-based ranks, ties given their mean rank.
    static func midranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }
}
