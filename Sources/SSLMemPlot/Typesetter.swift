/// Text set to a measure on a `Canvas`: lines broken at spaces (a word longer than the measure at characters),
/// and the widths of a table's columns. The report's PDF uses it for paragraphs and tables.
public struct Typesetter {
    public let canvas: Canvas

    public init(_ canvas: Canvas) { self.canvas = canvas }

    /// The width of `text` set literally (no sub/superscripts) at `size`.
    public func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        canvas.measure(text, size: size, bold: bold, rich: false).width
    }

    /// Lines of `text` that fit `width` at `size`, broken at spaces (long words at characters). A newline in
    /// `text` reads as a space.
    public func wrap(_ text: String, width: Double, size: Double, bold: Bool = false) -> [String] {
        var lines: [String] = []
        var line = ""
        let words = text.split(whereSeparator: { $0 == " " || $0.isNewline }).map(String.init)
        for word in words {
            let candidate = line.isEmpty ? word : line + " " + word
            if self.width(candidate, size: size, bold: bold) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            var rest = Substring(word)
            while self.width(String(rest), size: size, bold: bold) > width, rest.count > 1 {
                var cut = rest.count - 1
                while cut > 1 && self.width(String(rest.prefix(cut)), size: size, bold: bold) > width { cut -= 1 }
                lines.append(String(rest.prefix(cut)))
                rest = rest.dropFirst(cut)
            }
            line = String(rest)
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [""] : lines
    }

    /// The widest word of `text`.
    public func longestWord(_ text: String, size: Double, bold: Bool = false) -> Double {
        text.split(whereSeparator: { $0 == " " || $0.isNewline }).map { width(String($0), size: size, bold: bold) }
            .max() ?? 0
    }

    /// Column widths for a table `available` wide. `natural[i]`: column i's widest cell; `minimum[i]`: the
    /// least it can take (its widest word for a wrapping column, `natural[i]` for one that must not wrap);
    /// `wraps[i]`: whether its cells may wrap. Columns take their natural widths when they fit; otherwise the
    /// columns that do not wrap keep theirs (as far as they can) and the wrapping ones share what is left in
    /// proportion to their natural widths, never below their minimum. The result may exceed `available` only
    /// when the minimums do.
    public static func columnWidths(natural: [Double], minimum: [Double], wraps: [Bool], available: Double)
        -> [Double]
    {
        guard natural.reduce(0, +) > available else { return natural }
        var widths = natural
        // Wrapping columns shrink first: narrower columns keep their width while wider ones share the rest.
        var flexible = Set(natural.indices.filter { wraps[$0] })
        while !flexible.isEmpty {
            let fixed = natural.indices.filter { !flexible.contains($0) }.map { widths[$0] }.reduce(0, +)
            let left = available - fixed
            let total = flexible.map { natural[$0] }.reduce(0, +)
            let below = flexible.filter { natural[$0] / total * left < minimum[$0] }
            if below.isEmpty {
                for i in flexible { widths[i] = natural[i] / total * left }
                return widths
            }
            for i in below { widths[i] = minimum[i] }
            flexible.subtract(below)
        }
        return widths
    }
}
