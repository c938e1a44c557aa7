import CStatsKernels
import Dispatch
import SSLMemSupport

/// Seeded percentile bootstrap confidence intervals (Efron 1979): `resamples`
/// times, draw n values with replacement and compute the statistic (the mean, or
/// any other); the interval is the (1−level)/2 and (1+level)/2 quantiles, with
/// numpy's default linear interpolation between order statistics. The same
/// seed gives the same interval on every machine (SplitMix64 generator).
public enum Bootstrap {
    public static func meanInterval(
        _ values: [Double], level: Double = 0.95, resamples: Int = 10_000, seed: UInt64 = 0
    ) -> Interval {
        guard !values.isEmpty else { return Interval(.nan, .nan) }
        let n = values.count
        return interval(level: level, resamples: resamples, seed: seed) { generator in
            var sum = 0.0
            for _ in 0..<n { sum += values[Int(generator.next() % UInt64(n))] }
            return sum / Double(n)
        }
    }

    /// Percentile intervals of several statistics computed on the same resamples (paired across statistics),
    /// for samples of sizes `groups` drawn independently with replacement.
    ///
    /// The draws, which a numpy reference repeats exactly: `g = SplitMix64(seed)`; for each resample in turn, for
    /// each group j in order, `groups[j]` indices `Int(g.next() % UInt64(groups[j]))` (a group of size 0 draws
    /// nothing). `statistic(draws, &out)` writes the `count` statistics of one resample into `out`. Each
    /// interval is the (1 − level)/2 and (1 + level)/2 quantile of its statistic over the resamples, with
    /// numpy's default linear interpolation (`np.quantile`); NaN statistics make their interval NaN.
    public static func intervals(
        groups: [Int], count: Int, level: Double = 0.95, resamples: Int, seed: UInt64 = 0, workers: Int = 1,
        statistic: @Sendable (_ draws: [[Int]], _ out: inout [Double]) -> Void
    ) -> [Interval] {
        guard resamples >= 2, count >= 1 else { return Array(repeating: Interval(.nan, .nan), count: count) }
        // Resample r starts at the (r · Σ groups)-th number of the stream, so `workers` threads, each on its own
        // contiguous resamples with a generator moved there (`SplitMix64(seed:skipping:)`), draw exactly what one
        // thread drawing them in turn would: the intervals do not depend on `workers`.
        let perResample = UInt64(groups.reduce(0, +))
        let divisors = groups.map { ExactRemainder(UInt64(max(1, $0))) }
        let parts = max(1, min(workers, resamples / 256))
        var values = [Double](repeating: 0, count: count * resamples)  // [statistic][resample]
        values.withUnsafeMutableBufferPointer { buffer in
            let table = ParallelBuffer(buffer)  // each part writes its own resamples
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let range = (part * resamples / parts)..<((part + 1) * resamples / parts)
                var generator = SplitMix64(seed: seed, skipping: UInt64(range.lowerBound) &* perResample)
                var draws = groups.map { [Int](repeating: 0, count: $0) }
                var out = [Double](repeating: .nan, count: count)
                for r in range {
                    for j in groups.indices {
                        let divisor = divisors[j]
                        draws[j].withUnsafeMutableBufferPointer { generator.fill($0, remaindersOf: divisor) }
                    }
                    statistic(draws, &out)
                    for k in 0..<count { table.base[k * resamples + r] = out[k] }
                }
            }
        }
        return percentileIntervals(&values, count: count, resamples: resamples, level: level, workers: workers)
    }

    /// The sums of `intervals(groups:…)`'s draws over table rows, for statistics that are functions of them
    /// (means and their differences, as LayerMem's): the same draws (resample by resample, group by group, from
    /// SplitMix64(`seed`)); for resample r and group j, the element-wise sum of rows `tables[j][draw]` (each table
    /// `groups[j]` rows of `width` values, row-major), added in draw order from 0. Result
    /// [resample][group][width]. CStatsKernels' `sslmem_bootstrap_row_sums` forms four resamples' sums side by side
    /// (independent addition chains) on `workers` threads; every sum has the bits of the plain loop.
    public static func rowSums(
        groups: [Int], tables: [[Double]], width: Int, resamples: Int, seed: UInt64 = 0, workers: Int = 1
    ) -> [Double] {
        precondition(tables.count == groups.count && zip(groups, tables).allSatisfy { $0 * width == $1.count })
        guard resamples > 0, width > 0, !groups.isEmpty else { return [] }
        let divisors = groups.map { ExactRemainder(UInt64(max(1, $0))) }
        let multipliers = divisors.map(\.multiplier)
        let shifts = divisors.map { UInt32($0.shift) }
        // The tables side by side in one array (a group of size 0 adds nothing, so any row pointer serves).
        var flat: [Double] = []
        for table in tables { flat += table }
        flat.append(0)
        let starts = tables.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        var sums = [Double](repeating: 0, count: resamples * groups.count * width)
        let parts = max(1, min(workers, resamples / 256))
        sums.withUnsafeMutableBufferPointer { buffer in
            flat.withUnsafeBufferPointer { base in
                let out = ParallelBuffer(buffer)  // each part writes its own resamples
                let rows = ParallelBuffer(reading: base.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let range = (part * resamples / parts)..<((part + 1) * resamples / parts)
                    let pointers: [UnsafePointer<Double>?] = starts.dropLast().map { UnsafePointer(rows.base + $0) }
                    sslmem_bootstrap_row_sums(
                        seed, range.lowerBound, range.count, groups.count, groups, multipliers, shifts, pointers,
                        width, out.base + range.lowerBound * groups.count * width)
                }
            }
        }
        return sums
    }

    /// Percentile intervals of `count` statistics from their values over `resamples` resamples, stored
    /// [statistic][resample] in `values` (rearranged): the (1 − level)/2 and (1 + level)/2 quantiles with numpy's
    /// default linear interpolation; a column holding NaN or ±∞ gives (NaN, NaN). Columns on `workers` threads.
    public static func percentileIntervals(
        _ values: inout [Double], count: Int, resamples: Int, level: Double = 0.95, workers: Int = 1
    ) -> [Interval] {
        precondition(values.count == count * resamples)
        // Each statistic's quantiles by selection in its own column (`Quantile`: the values of sorting it), the
        // statistics on `workers` threads.
        var result = [Interval](repeating: Interval(.nan, .nan), count: count)
        values.withUnsafeMutableBufferPointer { buffer in
            result.withUnsafeMutableBufferPointer { intervals in
                let table = ParallelBuffer(buffer)  // part p rearranges and writes columns p, p + parts, …
                let output = ParallelBuffer(intervals)
                DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { part in
                    for k in stride(from: part, to: count, by: max(1, min(workers, count))) {
                        let column = UnsafeMutableBufferPointer(start: table.base + k * resamples, count: resamples)
                        guard column.allSatisfy(\.isFinite) else { continue }
                        output[k] = Interval(
                            Quantile.linear(column, (1 - level) / 2), Quantile.linear(column, (1 + level) / 2))
                    }
                }
            }
        }
        return result
    }

    /// The percentile interval of any statistic: `statistic` draws one resample
    /// with the generator it is given and returns the statistic on it.
    public static func interval(
        level: Double = 0.95, resamples: Int, seed: UInt64 = 0, statistic: (inout SplitMix64) -> Double
    ) -> Interval {
        guard resamples >= 2 else { return Interval(.nan, .nan) }
        var generator = SplitMix64(seed: seed)
        var values = (0..<resamples).map { _ in statistic(&generator) }
        values.sort()
        func quantile(_ q: Double) -> Double {
            let h = Double(resamples - 1) * q
            let low = Int(h.rounded(.down))
            let high = min(low + 1, resamples - 1)
            return values[low] + (h - Double(low)) * (values[high] - values[low])
        }
        return Interval(quantile((1 - level) / 2), quantile((1 + level) / 2))
    }
}

/// x mod d for a fixed divisor d ≥ 1, exactly as `x % d`, without a division instruction (a 64-bit `div` takes
/// tens of cycles; the bootstrap draws millions): the quotient by Granlund and Montgomery's multiply-high method
/// ("Division by invariant integers using multiplication", PLDI 1994, Fig. 4.1) with ℓ = ⌈log₂ d⌉ and
/// m′ = ⌊2⁶⁴(2^ℓ − d)/d⌋ + 1: t = ⌊m′x / 2⁶⁴⌋, q = (t + ⌊(x − t)/2⌋) >> (ℓ − 1) = ⌊x/d⌋ for every 64-bit x;
/// then x − q·d.
struct ExactRemainder: Sendable {
    let divisor: UInt64
    let multiplier: UInt64
    let shift: UInt64

    init(_ d: UInt64) {
        precondition(d >= 1, "a divisor of at least 1")
        divisor = d
        guard d >= 2 else {
            multiplier = 0
            shift = 0
            return
        }
        let l = UInt64(64 - (d - 1).leadingZeroBitCount)  // ⌈log₂ d⌉, 1…64
        let high = l == 64 ? 0 &- d : (1 << l) - d  // 2^ℓ − d < d
        multiplier = d.dividingFullWidth((high: high, low: 0)).quotient &+ 1
        shift = l - 1
    }

    @inline(__always)
    func remainder(_ x: UInt64) -> UInt64 {
        guard divisor >= 2 else { return 0 }
        let t = multiplier.multipliedFullWidth(by: x).high
        let q = (t &+ ((x &- t) >> 1)) >> shift
        return x &- q &* divisor
    }

    /// The next `target.count` numbers of `generator`, each mod `divisor`, into `target`: exactly
    /// `remainder(generator.next())` in turn (`sslmem_splitmix_remainders`, eight at a time with AVX-512; the
    /// generator moves past them). `wide`: whether the kernel may use AVX-512 (for tests).
    func fill(_ target: UnsafeMutableBufferPointer<UInt64>, from generator: inout SplitMix64, wide: Bool = true) {
        guard let base = target.baseAddress else { return }
        sslmem_splitmix_remainders_variant(
            wide ? 1 : 0, generator.state, target.count, divisor, multiplier, UInt32(shift), base)
        generator = SplitMix64(seed: generator.state, skipping: UInt64(target.count))
    }
}

extension SplitMix64 {
    /// Draws into `target`: each the next number mod `divisor`, as `Int(divisor.remainder(next()))` in turn.
    /// Every remainder is below the divisor, a group size that is an `Int`, so it fits.
    mutating func fill(_ target: UnsafeMutableBufferPointer<Int>, remaindersOf divisor: ExactRemainder) {
        target.withMemoryRebound(to: UInt64.self) { divisor.fill($0, from: &self) }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }
    /// The generator after `count` calls of `next()` from `seed` (its state only adds a constant per call).
    public init(seed: UInt64, skipping count: UInt64) { state = seed &+ count &* 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
