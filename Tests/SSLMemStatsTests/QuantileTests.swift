import SSLMemStats
import Testing

/// `Quantile.linear` (selection) gives the bits of the sort-then-interpolate quantile (numpy's default) on
/// random, tied, sorted, reversed and tiny inputs, and `select` puts the order statistic in place.
@Suite struct QuantileTests {
    /// The definition, on a sorted copy.
    static func sortedQuantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let h = Double(sorted.count - 1) * q
        let low = Int(h.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }

    static func inputs(_ n: Int) -> [[Double]] {
        var rng = SplitMix64(seed: UInt64(n) &+ 3)
        let random = (0..<n).map { _ in Double.random(in: -5...5, using: &rng) }
        let tied = (0..<n).map { _ in Double(Int.random(in: 0...3, using: &rng)) }
        let organPipe = (0..<n).map { Double(min($0, n - $0)) }
        return [random, tied, random.sorted(), random.sorted().reversed(), organPipe, Array(repeating: 2.5, count: n)]
    }

    @Test(arguments: [1, 2, 3, 10, 257, 10_000])
    func selectionEqualsSorting(n: Int) {
        for values in Self.inputs(n) {
            for q in [0, 0.025, 0.3, 0.5, 0.975, 1] {
                var copy = values
                let got = copy.withUnsafeMutableBufferPointer { Quantile.linear($0, q) }
                let want = Self.sortedQuantile(values, q)
                #expect(got.bitPattern == want.bitPattern, "n \(n), q \(q): \(got) vs \(want)")
                #expect(copy.sorted() == values.sorted(), "the values are only rearranged")
            }
            for k in Set([0, n / 3, n - 1]) {
                var copy = values
                copy.withUnsafeMutableBufferPointer { Quantile.select($0, k) }
                let sorted = values.sorted()
                #expect(copy[k] == sorted[k])
                #expect(copy[..<k].allSatisfy { $0 <= copy[k] } && copy[(k + 1)...].allSatisfy { $0 >= copy[k] })
            }
        }
    }

    /// numpy: np.quantile([1, 2, 3, 4], 0.3) = 1.9; [5, 1, 1, 2, 9, 9] at 0.025 and 0.975: 1.0 and 9.0;
    /// a single value is every quantile; an empty sample has none.
    @Test func numpyValues() {
        func quantile(_ values: [Double], _ q: Double) -> Double {
            var copy = values
            return copy.withUnsafeMutableBufferPointer { Quantile.linear($0, q) }
        }
        #expect(abs(quantile([4, 1, 3, 2], 0.3) - 1.9) < 1e-15)
        #expect(quantile([5, 1, 1, 2, 9, 9], 0.025) == 1)
        #expect(quantile([5, 1, 1, 2, 9, 9], 0.975) == 9)
        #expect(quantile([7], 0.975) == 7)
        #expect(quantile([], 0.5).isNaN)
    }
}
