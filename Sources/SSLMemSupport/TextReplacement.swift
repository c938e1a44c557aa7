/// Replacing every occurrence of a string in a string, on UTF-8 bytes.
///
/// Foundation's `replacingOccurrences(of:with:)` goes through NSString (UTF-16,
/// locale-aware search) and costs about as much as drawing a figure when a
/// report rewrites a large SVG. UTF-8 is self-synchronizing, so a match of the
/// target's bytes always starts and ends on character boundaries: the result
/// is the one of a character-by-character literal search (without Unicode
/// canonical equivalence, which the callers — SVG markup, CSV fields, HTML
/// escaping of ASCII characters — never need).
extension String {
    /// `self` with every non-overlapping occurrence of `target` (searched left to
    /// right) replaced by `replacement`; `self` when `target` is empty.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var text = self
        text.makeContiguousUTF8()
        let needle = Array(target.utf8)
        let insert = Array(replacement.utf8)
        let result: [UInt8]?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            needle.withUnsafeBufferPointer { needle -> [UInt8]? in
                let n = bytes.count
                let m = needle.count
                let first = needle[0]
                var output: [UInt8] = []
                var copiedUpTo = 0
                var i = 0
                while i + m <= n {
                    if bytes[i] == first && (1..<m).allSatisfy({ bytes[i + $0] == needle[$0] }) {
                        if output.isEmpty { output.reserveCapacity(n + n / 8) }
                        output.append(contentsOf: bytes[copiedUpTo..<i])
                        output.append(contentsOf: insert)
                        i += m
                        copiedUpTo = i
                    } else {
                        i += 1
                    }
                }
                guard copiedUpTo > 0 else { return nil }  // no match
                output.append(contentsOf: bytes[copiedUpTo..<n])
                return output
            }
        }
        guard case .some(.some(let bytes)) = result else { return text }
        return String(decoding: bytes, as: UTF8.self)
    }
}
