/// Quantiles by selection instead of a full sort: O(n) expected, the same values as sorting first.
///
/// The q-quantile with linear interpolation between order statistics (numpy's default,
/// `np.quantile(x, q)`, Hyndman and Fan's type 7): with x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ the sorted values,
/// h = (n − 1)·q, j = ⌊h⌋,
///
///     Q(q) = x₍ⱼ₎ + (h − j)·(x₍ⱼ₊₁₎ − x₍ⱼ₎)   (x₍ⱼ₊₁₎ taken as x₍ⱼ₎ when j = n − 1).
///
/// x₍ⱼ₎ comes from Hoare's FIND (CACM 4(7), 1961, Algorithm 65) with a median-of-three pivot, and
/// x₍ⱼ₊₁₎ is the least value to its right; both are the values a sort would put there, so Q is the
/// same bits as after `sorted()`. The values must not hold NaN (no order); ties are fine.
public enum Quantile {
    /// Q(q) of `values` for 0 ≤ q ≤ 1; rearranges `values`. NaN when empty.
    public static func linear(_ values: UnsafeMutableBufferPointer<Double>, _ q: Double) -> Double {
        let n = values.count
        guard n > 0 else { return .nan }
        let h = Double(n - 1) * q
        let j = min(n - 1, Int(h.rounded(.down)))
        select(values, j)
        let low = values[j]
        guard j + 1 < n else { return low }
        var high = values[j + 1]
        for i in (j + 2)..<n where values[i] < high { high = values[i] }
        return low + (h - Double(j)) * (high - low)
    }

    /// Rearranges `v` so that v[k] holds the value a sort would put there, with no greater value before it and no
    /// smaller one after it (0 ≤ k < v.count).
    public static func select(_ v: UnsafeMutableBufferPointer<Double>, _ k: Int) {
        precondition(v.indices.contains(k), "select: position \(k) outside 0..<\(v.count)")
        var lo = 0
        var hi = v.count - 1
        // FIND with a median-of-three pivot; after 64 rounds (an adversarial order) the rest is sorted instead.
        var rounds = 0
        while lo < hi {
            rounds += 1
            if rounds > 64 {
                var rest = UnsafeMutableBufferPointer(rebasing: v[lo...hi])
                rest.sort()
                return
            }
            let a = v[lo]
            let b = v[lo + (hi - lo) / 2]
            let c = v[hi]
            let pivot = max(min(a, b), min(max(a, b), c))
            var i = lo
            var j = hi
            // The pivot is one of v[lo...hi], so both scans stop inside the range.
            while i <= j {
                while v[i] < pivot { i += 1 }
                while pivot < v[j] { j -= 1 }
                if i <= j {
                    v.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now v[lo...j] ≤ pivot ≤ v[i...hi], and every position strictly between j and i holds the pivot.
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return
            }
        }
    }
}
