/// Kendall's τ-b with its p-value as scipy.stats.kendalltau computes it.
public struct KendallResult: Sendable, Equatable {
    public enum Method: String, Sendable { case exact, asymptotic }

    /// τ-b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)), in [−1, 1]; NaN when not computable.
    public var tau: Double
    public var pValue: Double
    public var count: Int
    public var method: Method
    public var alternative: Alternative
    /// Why τ is undefined (fewer than 2 points, or all x or all y tied).
    public var notComputable: String?
}

/// Kendall's τ-b (Kendall 1945) in O(n log n) (Knight 1966): ranks by sorting,
/// discordant pairs as inversions counted by merge sort.
///
/// With n₀ = n(n−1)/2, n₁ = Σ tᵢ(tᵢ−1)/2 over groups of tied x, n₂ likewise for
/// y, n₃ over pairs tied in both, and n_d the discordant pairs:
/// n_c − n_d = n₀ − n₁ − n₂ + n₃ − 2n_d.
///
/// p-value, following scipy's `method='auto'`: with no ties and n ≤ 33 or
/// min(n_d, n₀ − n_d) ≤ 1, the exact null distribution of the number of
/// concordant pairs (`KendallExactDistribution`); otherwise the normal
/// approximation z = (n_c − n_d)/√v with the tie-corrected variance
/// v = (m(2n+5) − Σt(t−1)(2t+5) − Σu(u−1)(2u+5))/18 + 2n₁n₂/m
///     + Σt(t−1)(t−2)·Σu(u−1)(u−2)/(9m(n−2)),  m = n(n−1).
/// Two-sided p = 2(1 − Φ(|z|)); "greater" tests for positive association.
public enum KendallTau {
    public static func tauB(_ x: [Double], _ y: [Double], alternative: Alternative = .twoSided) -> KendallResult {
        precondition(x.count == y.count, "x and y must have the same length")
        let n = x.count
        func undefined(_ reason: String) -> KendallResult {
            KendallResult(tau: .nan, pValue: .nan, count: n, method: .asymptotic, alternative: alternative,
                          notComputable: reason)
        }
        guard n >= 2 else { return undefined("needs at least 2 points (has \(n))") }
        let byY = RadixSort.order(y), byX = RadixSort.order(x)
        let (yRank, yTies) = denseRanks(y, order: byY)
        let (xRank, xTies) = denseRanks(x, order: byX)
        let total = n * (n - 1) / 2
        if xTies.pairs == total { return undefined("all x values are tied") }
        if yTies.pairs == total { return undefined("all y values are tied") }
        // Order by (x rank, y rank): a stable counting sort by x rank of the y order.
        var start = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { start[Int(xRank[i]) + 1] += 1 }
        for r in 0..<n { start[r + 1] += start[r] }
        var sequence = [Int32](repeating: 0, count: n)
        var jointTies = 0, run = 0
        var lexicographic = [Int32](repeating: 0, count: n)
        for i in byY {
            let r = Int(xRank[Int(i)])
            lexicographic[start[r]] = i
            start[r] += 1
        }
        for position in 0..<n {
            let i = Int(lexicographic[position])
            sequence[position] = yRank[i]
            if position > 0, xRank[i] == xRank[Int(lexicographic[position - 1])], yRank[i] == sequence[position - 1] {
                run += 1
            } else {
                jointTies += run * (run + 1) / 2
                run = 0
            }
        }
        jointTies += run * (run + 1) / 2
        let discordant = Inversions.count(&sequence)
        let difference = Double(total - xTies.pairs - yTies.pairs + jointTies - 2 * discordant)
        let tau = min(1, max(-1, difference / Double(total - xTies.pairs).squareRoot()
                                           / Double(total - yTies.pairs).squareRoot()))
        if xTies.pairs == 0 && yTies.pairs == 0 && (n <= 33 || min(discordant, total - discordant) <= 1) {
            let p = KendallExactDistribution.pValue(n: n, concordant: total - discordant, alternative: alternative)
            return KendallResult(tau: tau, pValue: p, count: n, method: .exact, alternative: alternative,
                                 notComputable: nil)
        }
        let m = Double(n) * Double(n - 1)
        let variance = (m * Double(2 * n + 5) - xTies.cubic - yTies.cubic) / 18
            + 2 * Double(xTies.pairs) * Double(yTies.pairs) / m
            + xTies.triples * yTies.triples / (9 * m * Double(n - 2))
        let z = difference / variance.squareRoot()
        let p = alternative.pValue(z, lower: Distributions.normalP, upper: Distributions.normalQ)
        return KendallResult(tau: tau, pValue: p, count: n, method: .asymptotic, alternative: alternative,
                             notComputable: nil)
    }

    /// Sums over groups of t tied values.
    struct TieSums {
        /// Σ t(t−1)/2: tied pairs.
        var pairs = 0
        /// Σ t(t−1)(t−2).
        var triples = 0.0
        /// Σ t(t−1)(2t+5).
        var cubic = 0.0

        mutating func add(_ t: Int) {
            guard t > 1 else { return }
            let d = Double(t)
            pairs += t * (t - 1) / 2
            triples += d * (d - 1) * (d - 2)
            cubic += d * (d - 1) * (2 * d + 5)
        }
    }

    /// Dense ranks 0, 1, 2, … of `values` (equal values share a rank) and the tie sums.
    static func denseRanks(_ values: [Double], order: [Int32]) -> ([Int32], TieSums) {
        var ranks = [Int32](repeating: 0, count: values.count)
        var ties = TieSums()
        var rank: Int32 = 0, run = 1
        for position in 1..<order.count {
            let previous = values[Int(order[position - 1])], current = values[Int(order[position])]
            if current == previous {
                run += 1
            } else {
                ties.add(run)
                run = 1
                rank += 1
            }
            ranks[Int(order[position])] = rank
        }
        ties.add(run)
        return (ranks, ties)
    }
}
