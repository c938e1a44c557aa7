/// Number of pairs i < j with a[i] > a[j] (strictly), by merge sort: O(n log n).
/// Sorts `a` in place.
enum Inversions {
    static func count(_ a: inout [Int32]) -> Int {
        var buffer = [Int32](repeating: 0, count: a.count)
        var inversions = 0
        var width = 1
        let n = a.count
        while width < n {
            var low = 0
            while low < n - width {
                let middle = low + width, high = min(low + 2 * width, n)
                var i = low, j = middle, k = low
                while i < middle && j < high {
                    if a[j] < a[i] {
                        buffer[k] = a[j]
                        inversions += middle - i
                        j += 1
                    } else {
                        buffer[k] = a[i]
                        i += 1
                    }
                    k += 1
                }
                while i < middle { buffer[k] = a[i]; i += 1; k += 1 }
                while j < high { buffer[k] = a[j]; j += 1; k += 1 }
                for t in low..<high { a[t] = buffer[t] }
                low += 2 * width
            }
            width *= 2
        }
        return inversions
    }
}
