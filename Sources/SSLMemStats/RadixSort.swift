/// Stable sort order of Doubles by an LSD radix sort over order-preserving
/// 64-bit keys (16-bit digits, four passes): O(n), and far faster than a
/// comparison sort for the million-point rankings Kendall's τ is run on.
/// −0 and +0 sort as equal; NaN must not occur.
enum RadixSort {
    static func order(_ values: [Double]) -> [Int32] {
        let n = values.count
        var keys = values.map { value -> UInt64 in
            let bits = (value == 0 ? 0 : value).bitPattern
            return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        }
        var order = (0..<Int32(n)).map { $0 }
        var keyBuffer = [UInt64](repeating: 0, count: n)
        var orderBuffer = [Int32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 65_537)
        for pass in 0..<4 {
            let shift = UInt64(16 * pass)
            for i in counts.indices { counts[i] = 0 }
            for key in keys { counts[Int((key >> shift) & 0xFFFF) + 1] += 1 }
            if counts[1...].contains(n) { continue }  // one digit value: the pass would not move anything
            for d in 0..<65_536 { counts[d + 1] += counts[d] }
            for i in 0..<n {
                let digit = Int((keys[i] >> shift) & 0xFFFF)
                keyBuffer[counts[digit]] = keys[i]
                orderBuffer[counts[digit]] = order[i]
                counts[digit] += 1
            }
            swap(&keys, &keyBuffer)
            swap(&order, &orderBuffer)
        }
        return order
    }
}
