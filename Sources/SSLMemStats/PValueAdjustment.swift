/// Adjusting a family of p-values for multiple testing; results are in the
/// input order and capped at 1.
public enum PValueAdjustment {
    /// Holm (1979) step-down, controls the family-wise error rate: with p sorted
    /// ascending, p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎).
    public static func holm(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: .nan, count: m)
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[i]))
            adjusted[i] = running
        }
        return adjusted
    }

    /// Benjamini–Hochberg (1995) step-up, controls the false discovery rate:
    /// with p sorted ascending, p̃₍ᵢ₎ = min_{j ≥ i} min(1, m/j · p₍ⱼ₎).
    public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: .nan, count: m)
        var running = 1.0
        for (rank, i) in order.enumerated().reversed() {
            running = min(running, Double(m) / Double(rank + 1) * p[i])
            adjusted[i] = running
        }
        return adjusted
    }
}
