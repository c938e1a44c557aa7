import Dispatch
import SSLMemSupport
import Synchronization

/// Number of pairs i < j with a[i] > a[j] (strictly), by bottom-up merge sort
/// (Knight 1966): O(n log n). Sorts `a` in place. The two halves are counted
/// on two threads, then the pairs across them in a final merge.
enum Inversions {
    static func count(_ a: inout [Int32]) -> Int {
        let n = a.count
        var buffer = [Int32](unsafeUninitializedCapacity: n) { $1 = n }
        return a.withUnsafeMutableBufferPointer { first in
            buffer.withUnsafeMutableBufferPointer { second in
                let half = n / 2
                let halves = [0..<half, half..<n]
                let counts = Mutex<[Int]>([0, 0])
                // Each part sorts its own range of both buffers.
                let values = ParallelBuffer(first)
                let scratch = ParallelBuffer(second)
                DispatchQueue.concurrentPerform(iterations: n >= 1 << 16 ? 2 : 1) { part in
                    let range = n >= 1 << 16 ? halves[part] : 0..<n
                    let count = sort(values.base + range.lowerBound, scratch.base + range.lowerBound, range.count)
                    counts.withLock { $0[part] = count }
                }
                let found = counts.withLock { $0 }
                guard n >= 1 << 16 else { return found[0] }
                // Pairs across the halves: merge the two sorted halves.
                let across = merge(first.baseAddress!, 0, half, n, into: second.baseAddress!)
                _ = first.update(fromContentsOf: second)
                return found[0] + found[1] + across
            }
        }
    }

    /// Merge-sorts `count` values at `a` (using `b` as scratch), result in `a`; returns the inversions.
    private static func sort(_ a: UnsafeMutablePointer<Int32>, _ b: UnsafeMutablePointer<Int32>, _ count: Int) -> Int {
        // Runs of 16 by insertion sort, counting each move past a larger value.
        var inversions = 0
        let run = 16
        for low in stride(from: 0, to: count, by: run) {
            for i in (low + 1)..<min(low + run, count) {
                let value = a[i]
                var j = i
                while j > low && a[j - 1] > value {
                    a[j] = a[j - 1]
                    j -= 1
                }
                a[j] = value
                inversions += i - j
            }
        }
        var source = a
        var target = b
        var width = run
        while width < count {
            var low = 0
            while low < count {
                let middle = min(low + width, count)
                let high = min(low + 2 * width, count)
                inversions += merge(source, low, middle, high, into: target)
                low += 2 * width
            }
            swap(&source, &target)
            width *= 2
        }
        if source != a { a.update(from: source, count: count) }
        return inversions
    }

    /// Merges sorted source[low..<middle] and source[middle..<high] into target[low..<high];
    /// returns the pairs (i in the left, j in the right) with source[i] > source[j].
    @inline(__always)
    private static func merge(
        _ source: UnsafeMutablePointer<Int32>, _ low: Int, _ middle: Int, _ high: Int,
        into target: UnsafeMutablePointer<Int32>
    ) -> Int {
        var inversions = 0
        var i = low
        var j = middle
        var k = low
        while i < middle && j < high {
            if source[j] < source[i] {
                target[k] = source[j]
                inversions += middle - i
                j += 1
            } else {
                target[k] = source[i]
                i += 1
            }
            k += 1
        }
        while i < middle {
            target[k] = source[i]
            i += 1
            k += 1
        }
        while j < high {
            target[k] = source[j]
            j += 1
            k += 1
        }
        return inversions
    }

}
