import Foundation
import SSLMemSupport
import Synchronization

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
            KendallResult(
                tau: .nan, pValue: .nan, count: n, method: .asymptotic, alternative: alternative,
                notComputable: reason)
        }
        guard n >= 2 else { return undefined("needs at least 2 points (has \(n))") }
        let (ry, rx) = Ranking.of(y, x)
        let total = n * (n - 1) / 2
        if rx.ties.pairs == total { return undefined("all x values are tied") }
        if ry.ties.pairs == total { return undefined("all y values are tied") }
        let xTies = rx.ties
        let yTies = ry.ties
        var sequence: [Int32]  // y ranks of the points in (x rank, y rank) order
        var jointTies = 0
        if rx.distinct == n {
            // No ties in x: x order alone.
            sequence = rx.order.map { ry.rankOfPoint[Int($0)] }
        } else {
            // A stable counting sort by x rank of the points in y order, carrying their y ranks.
            var start = [Int](repeating: 0, count: rx.distinct + 1)
            for p in 0..<n { start[Int(rx.rankAtPosition[p]) + 1] += 1 }
            for r in 0..<rx.distinct { start[r + 1] += start[r] }
            let blockEnds = Array(start.dropFirst())
            sequence = [Int32](unsafeUninitializedCapacity: n) { $1 = n }
            for p in 0..<n {
                let r = Int(rx.rankOfPoint[Int(ry.order[p])])
                sequence[start[r]] = ry.rankAtPosition[p]
                start[r] += 1
            }
            // Pairs tied in both: runs of equal y rank within each block of equal x rank.
            var blockStart = 0
            for end in blockEnds {
                var run = 1
                for p in (blockStart + 1)..<max(blockStart + 1, end) {
                    if sequence[p] == sequence[p - 1] {
                        run += 1
                    } else {
                        jointTies += run * (run - 1) / 2
                        run = 1
                    }
                }
                jointTies += run * (run - 1) / 2
                blockStart = end
            }
        }
        let discordant = Inversions.count(&sequence)
        let difference = Double(total - xTies.pairs - yTies.pairs + jointTies - 2 * discordant)
        let tau = min(
            1,
            max(
                -1,
                difference / Double(total - xTies.pairs).squareRoot()
                    / Double(total - yTies.pairs).squareRoot()))
        if xTies.pairs == 0 && yTies.pairs == 0 && (n <= 33 || min(discordant, total - discordant) <= 1) {
            let p = KendallExactDistribution.pValue(n: n, concordant: total - discordant, alternative: alternative)
            return KendallResult(
                tau: tau, pValue: p, count: n, method: .exact, alternative: alternative,
                notComputable: nil)
        }
        let m = Double(n) * Double(n - 1)
        let variance =
            (m * Double(2 * n + 5) - xTies.cubic - yTies.cubic) / 18
            + 2 * Double(xTies.pairs) * Double(yTies.pairs) / m
            + xTies.triples * yTies.triples / (9 * m * Double(n - 2))
        let z = difference / variance.squareRoot()
        let p = alternative.pValue(z, lower: Distributions.normalP, upper: Distributions.normalQ)
        return KendallResult(
            tau: tau, pValue: p, count: n, method: .asymptotic, alternative: alternative,
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

    /// The dense ranks 0, 1, 2, … of a sample (equal values share a rank) with its tie sums.
    struct Ranking {
        /// Point at each sorted position.
        var order: [Int32]
        /// Dense rank of the point at each sorted position (non-decreasing).
        var rankAtPosition: [Int32]
        /// Dense rank of each point.
        var rankOfPoint: [Int32]
        var distinct: Int
        var ties: TieSums

        init(_ values: [Double]) {
            let sorted = RadixSort.sort(values)
            let n = values.count
            order = sorted.order
            var ties = TieSums()
            var rank: Int32 = 0
            var run = 1
            rankAtPosition = [Int32](unsafeUninitializedCapacity: n) { ranks, count in
                ranks[0] = 0
                for p in 1..<n {
                    if sorted.keys[p] == sorted.keys[p - 1] {
                        run += 1
                    } else {
                        ties.add(run)
                        run = 1
                        rank += 1
                    }
                    ranks[p] = rank
                }
                count = n
            }
            ties.add(run)
            self.ties = ties
            distinct = Int(rank) + 1
            let (order, ranks) = (self.order, rankAtPosition)
            rankOfPoint = [Int32](unsafeUninitializedCapacity: n) { byPoint, count in
                for p in 0..<n { byPoint[Int(order[p])] = ranks[p] }
                count = n
            }
        }

        /// Rankings of two samples, computed on two threads at once.
        static func of(_ a: [Double], _ b: [Double]) -> (Ranking, Ranking) {
            let slots = Mutex<[Int: Ranking]>([:])
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let ranking = Ranking(part == 0 ? a : b)
                slots.withLock { $0[part] = ranking }
            }
            let rankings = slots.withLock { $0 }
            return (rankings[0]!, rankings[1]!)
        }
    }
}

extension KendallTau {
    /// τ-b alone by counting the n(n−1)/2 pairs: (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)), a pair tied in x counting
    /// in n₁, tied in y in n₂ (in both: in both), neither concordant nor discordant; NaN when all x or all y are
    /// tied or n < 2. The same value as `tauB(_:_:)`, for the many small samples of a bootstrap (a few setups),
    /// where the O(n log n) path's sorting setup dominates.
    public static func tauBByPairs(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "x and y must have the same length")
        let n = x.count
        guard n >= 2 else { return .nan }
        var score = 0
        var tiedX = 0
        var tiedY = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                let dx = x[i] - x[j]
                let dy = y[i] - y[j]
                if dx == 0 { tiedX += 1 }
                if dy == 0 { tiedY += 1 }
                if dx != 0 && dy != 0 { score += (dx > 0) == (dy > 0) ? 1 : -1 }
            }
        }
        let total = n * (n - 1) / 2
        guard tiedX < total, tiedY < total else { return .nan }
        return Double(score) / (Double(total - tiedX) * Double(total - tiedY)).squareRoot()
    }
}
