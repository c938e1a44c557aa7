/// Stable sort of Doubles by an LSD radix sort over order-preserving 64-bit
/// keys: 16-bit digits, the four digit histograms gathered in one read pass,
/// and a pass skipped when all keys share its digit. O(n), and several times
/// faster than a comparison sort on the million-point rankings Kendall's τ is
/// run on. −0 and +0 sort as equal; NaN must not occur.
enum RadixSort {
    /// The stable sort order of the values and their sorted keys (equal keys ⇔ equal values).
    struct Sorted {
        var order: [Int32]
        var keys: [UInt64]
    }

    static let digitBits = 16
    static let digits = 4
    static let buckets = 1 << 16

    /// Below this many values a comparison sort on (key, position) is faster: a radix pass clears and scans
    /// 65,536 buckets per digit whatever n (LayerMem's consistency ranks a few hundred candidates per pair of
    /// layers).
    static let comparisonSortLimit = 2_048

    static func sort(_ values: [Double]) -> Sorted {
        values.count < comparisonSortLimit ? comparisonSort(values) : radixSort(values)
    }

    /// The same order as `radixSort`: ascending keys, equal keys in increasing position (what a stable sort
    /// gives), by a comparison sort on the strict total order (key, position).
    static func comparisonSort(_ values: [Double]) -> Sorted {
        let keys = values.map { value -> UInt64 in
            let bits = (value == 0 ? 0 : value).bitPattern
            return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        }
        var order = (0..<Int32(values.count)).map { $0 }
        keys.withUnsafeBufferPointer { k in
            order.sort { a, b in k[Int(a)] != k[Int(b)] ? k[Int(a)] < k[Int(b)] : a < b }
        }
        return Sorted(order: order, keys: order.map { keys[Int($0)] })
    }

    static func radixSort(_ values: [Double]) -> Sorted {
        let n = values.count
        var counts = [Int](repeating: 0, count: digits * buckets)
        var keys = [UInt64](unsafeUninitializedCapacity: n) { buffer, count in
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<n {
                    let bits = (values[i] == 0 ? 0 : values[i]).bitPattern
                    let key = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
                    buffer[i] = key
                    for d in 0..<digits { c[d * buckets + Int((key >> UInt64(d * digitBits)) & 0xFFFF)] += 1 }
                }
            }
            count = n
        }
        var order = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = Int32(i) }
            count = n
        }
        var keyBuffer = [UInt64](unsafeUninitializedCapacity: n) { $1 = n }
        var orderBuffer = [Int32](unsafeUninitializedCapacity: n) { $1 = n }
        for d in 0..<digits {
            let moved = keys.withUnsafeBufferPointer { k in
                order.withUnsafeBufferPointer { o in
                    keyBuffer.withUnsafeMutableBufferPointer { kb in
                        orderBuffer.withUnsafeMutableBufferPointer { ob in
                            counts.withUnsafeMutableBufferPointer { c in
                                pass(
                                    digit: d, keys: k, order: o, keysOut: kb, orderOut: ob,
                                    counts: UnsafeMutableBufferPointer(rebasing: c[(d * buckets)..<((d + 1) * buckets)])
                                )
                            }
                        }
                    }
                }
            }
            if moved {
                swap(&keys, &keyBuffer)
                swap(&order, &orderBuffer)
            }
        }
        return Sorted(order: order, keys: keys)
    }

    /// One stable counting-sort pass on `digit`, whose histogram is `counts`;
    /// false (and nothing written) when every key has the same digit there.
    private static func pass(
        digit: Int, keys: UnsafeBufferPointer<UInt64>, order: UnsafeBufferPointer<Int32>,
        keysOut: UnsafeMutableBufferPointer<UInt64>, orderOut: UnsafeMutableBufferPointer<Int32>,
        counts: UnsafeMutableBufferPointer<Int>
    ) -> Bool {
        if counts.contains(keys.count) { return false }
        let shift = UInt64(digit * digitBits)
        var total = 0
        for b in 0..<buckets {
            let c = counts[b]
            counts[b] = total
            total += c
        }
        for i in 0..<keys.count {
            let bucket = Int((keys[i] >> shift) & 0xFFFF)
            let slot = counts[bucket]
            keysOut[slot] = keys[i]
            orderOut[slot] = order[i]
            counts[bucket] = slot + 1
        }
        return true
    }
}
