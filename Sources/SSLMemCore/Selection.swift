/// Order statistics without a full sort.
enum Selection {
    /// The k-th smallest value (k from 1) of `values`, whose order it changes:
    /// Hoare's quickselect with a median-of-three pivot, expected O(n). The
    /// values must be totally ordered (no NaN).
    static func smallest<Value: Comparable>(_ k: Int, in values: inout [Value]) -> Value {
        values.withUnsafeMutableBufferPointer { smallest(k, in: $0) }
    }

    /// `smallest(_:in:)` on a buffer (no copy-on-write or bounds checks in the loop).
    static func smallest<Value: Comparable>(_ k: Int, in values: UnsafeMutableBufferPointer<Value>) -> Value {
        precondition(k >= 1 && k <= values.count)
        var low = 0
        var high = values.count - 1
        let target = k - 1
        while low < high {
            let middle = low + (high - low) / 2
            let pivot = Swift.max(
                Swift.min(values[low], values[middle]),
                Swift.min(Swift.max(values[low], values[middle]), values[high]))
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if target <= j { high = j } else if target >= i { low = i } else { return values[target] }
        }
        return values[target]
    }
}
