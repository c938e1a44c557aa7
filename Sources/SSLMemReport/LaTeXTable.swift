import Foundation
import SSLMemPlot

/// A report's table as LaTeX a paper can `\input` as it is: booktabs rules, text columns left and numbers right
/// (same decimals, so on the decimal point), p-values and exponents in math (`$2.6\times10^{-5}$`), and a table that
/// fits a 5.5 in text width (ICLR, NeurIPS; ICML's 6.75 in has room to spare): when its natural width is wider,
/// its text columns become ragged-right paragraph columns that wrap, and long headers break over lines. Every
/// character pdflatex treats specially is escaped, so it prints the same under the default (OT1) font encoding,
/// where a bare `<` prints "¡", and under T1. Needs `\usepackage{booktabs}` and `\usepackage{array}`.
public enum LaTeXTable {
    /// The text width a table must fit: ICLR's and NeurIPS's 5.5 in.
    public static let textWidth = 5.5 * 72.27
    static let columnSeparation = 6.0

    /// `text` for LaTeX text mode: specials escaped, quotes as TeX quotes, the symbols and exponents of the
    /// reports as math.
    public static func escape(_ text: String) -> String {
        var out = ""
        var previous: Character = " "
        for piece in pieces(text) {
            switch piece {
            case .exponent(let mantissa, let negative, let power, let below):
                out +=
                    "$" + (below ? "<" : "") + (mantissa.map { "\($0)\\times" } ?? "")
                    + "10^{\(negative ? "-" : "")\(power)}$"
                previous = "0"
            case .text(let text):
                for c in text {
                    out += escape(c, after: previous)
                    previous = c
                }
            }
        }
        return out
    }

    private static func escape(_ c: Character, after previous: Character) -> String {
        switch c {
        case "\\": return "\\textbackslash{}"
        case "&", "%", "$", "#", "_", "{", "}": return "\\" + String(c)
        case "~": return "\\textasciitilde{}"
        case "^": return "\\textasciicircum{}"
        // OT1 has no <, >, |: their slots hold ¡, ¿ and an em dash.
        case "<": return "\\textless{}"
        case ">": return "\\textgreater{}"
        case "|": return "\\textbar{}"
        case "\"", "“", "”":
            let opening = c == "“" || (c == "\"" && (previous == " " || previous == "(" || previous == "["))
            return opening ? "``" : "''"
        case "‘": return "`"
        case "’": return "'"
        case "−": return "$-$"
        // pdflatex has no Unicode math: the symbols reports use, as math.
        case "≠": return "$\\neq$"
        case "τ": return "$\\tau$"
        case "μ": return "$\\mu$"
        case "ε": return "$\\varepsilon$"
        case "λ": return "$\\lambda$"
        case "σ": return "$\\sigma$"
        case "±": return "$\\pm$"
        case "·": return "$\\cdot$"
        case "×": return "$\\times$"
        case "Δ": return "$\\Delta$"
        case "≈": return "$\\approx$"
        case "≤": return "$\\leq$"
        case "≥": return "$\\geq$"
        case "→": return "$\\to$"
        case "∞": return "$\\infty$"
        case "₀", "₁", "₂": return "$_{\(c.unicodeScalars.first!.value - 0x2080)}$"
        case "²": return "$^2$"
        case "—": return "---"
        case "–": return "--"
        case "…": return "\\dots{}"
        case "•": return "\\textbullet{}"
        case "\n": return " "
        default: return String(c)
        }
    }

    private enum Piece {
        case text(String)
        /// `mantissa`×10^(±power), or "< 1e−300" (`below`).
        case exponent(mantissa: String?, negative: Bool, power: String, below: Bool)
    }

    /// Numbers in exponent form ("2.6e−05", "< 1e−300") split out of `text`.
    private static func pieces(_ text: String) -> [Piece] {
        let pattern = try! NSRegularExpression(pattern: "(<\\s?)?\\b([0-9](?:\\.[0-9]+)?)e([−+-]?)([0-9]+)\\b")
        var result: [Piece] = []
        var last = text.startIndex
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            if last < range.lowerBound { result.append(.text(String(text[last..<range.lowerBound]))) }
            func group(_ i: Int) -> String? { Range(match.range(at: i), in: text).map { String(text[$0]) } }
            let mantissa = group(2)!
            let sign = group(3) ?? ""
            let power = String(Int(group(4)!) ?? 0)
            result.append(
                .exponent(
                    mantissa: mantissa == "1" ? nil : mantissa, negative: sign == "−" || sign == "-",
                    power: power, below: group(1) != nil))
            last = range.upperBound
        }
        if last < text.endIndex { result.append(.text(String(text[last...]))) }
        return result
    }

    /// An estimate of the width of `text` set in Computer Modern at `size` pt (pdflatex's default face):
    /// generous, so that a table judged to fit does fit.
    static func estimatedWidth(_ text: String, size: Double = 9) -> Double {
        var width = 0.0
        for piece in pieces(text) {
            switch piece {
            case .exponent(let mantissa, _, let power, let below):
                width +=
                    Double((mantissa?.count ?? 0) + (mantissa == nil ? 0 : 1) + 2 + (below ? 2 : 0)) * 0.55
                    + Double(power.count) * 0.4 + (mantissa == nil ? 0 : 0.8)
            case .text(let text):
                for c in text {
                    if c == " " {
                        width += 0.34
                    } else if c.isUppercase || "mwMW—%±&".contains(c) {
                        width += 0.8
                    } else if "il.,:;'|!()[]".contains(c) {
                        width += 0.3
                    } else {
                        width += 0.55
                    }
                }
            }
        }
        return width * size
    }

    /// Lines of `text` no wider than `width` (estimated at `size` pt), broken at spaces.
    static func wrap(_ text: String, width: Double, size: Double = 9) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if line.isEmpty || estimatedWidth(candidate, size: size) <= width {
                line = candidate
            } else {
                lines.append(line)
                line = word
            }
        }
        return line.isEmpty ? lines : lines + [line]
    }

    /// How a table is set: type size (`\small`, 9 pt, or `\footnotesize`, 8 pt), column separation, widths,
    /// and which columns wrap.
    struct Layout {
        var size: Double
        var separation: Double
        var widths: [Double]
        var wraps: [Bool]
        var cellWidth: [Double]
        var fits: Bool
    }

    /// The first layout that fits `textWidth`, trying in turn: text columns wrapping at \small with the column
    /// separation narrowed from 6 to 3 pt; then numeric columns whose cells hold a space ("0.0123 [0.01, 0.02]",
    /// "0.123 (p 0.0001)") wrapping too, right-aligned; then all that at \footnotesize. The last when none fits.
    static func layout(_ columns: [ReportTable.Column], _ rows: [[String]]) -> Layout {
        var last: Layout?
        for (size, numericWraps) in [(9.0, false), (9.0, true), (8.0, true)] {
            let wraps = columns.indices.map { c in
                columns[c].kind == .text || columns[c].kind == .code
                    || (numericWraps && columns[c].kind == .numeric && rows.contains { $0[c].contains(" ") })
            }
            let cellWidth = columns.indices.map { c in rows.map { estimatedWidth($0[c], size: size) }.max() ?? 0 }
            let headerWord = columns.map {
                $0.title.split(separator: " ").map { estimatedWidth(String($0), size: size) }.max() ?? 0
            }
            // A header wider than its cells breaks over lines (at most as wide as its widest cell or ~9 characters).
            let natural = columns.indices.map { c in
                max(
                    cellWidth[c], headerWord[c],
                    min(estimatedWidth(columns[c].title, size: size), max(cellWidth[c], 45)))
            }
            let minimum = columns.indices.map { c in
                wraps[c]
                    ? max(
                        headerWord[c],
                        rows.flatMap { $0[c].split(separator: " ") }
                            .map { estimatedWidth(String($0), size: size) }.max() ?? 0,
                        columns[c].kind == .numeric ? 0 : 36) : natural[c]
            }
            // The widest column separation (6 pt, LaTeX's default, down to 3 pt) at which the table fits.
            for separation in [columnSeparation, 4.5, 3] {
                let widths = Typesetter.columnWidths(
                    natural: natural, minimum: minimum, wraps: wraps,
                    available: textWidth - 2 * separation * Double(columns.count) - 12)
                let fits = widths.reduce(0, +) + 2 * separation * Double(columns.count) + 12 <= textWidth
                last = Layout(
                    size: size, separation: separation, widths: widths, wraps: wraps, cellWidth: cellWidth,
                    fits: fits)
                if fits { return last! }
            }
        }
        return last!
    }

    /// The table as a LaTeX `table` float: `\small` (`\footnotesize` when it fits only so), booktabs rules, the
    /// caption above.
    public static func booktabs(_ table: ReportTable, caption: String, label: String) -> String {
        let columns = table.columns.filter { $0.kind != .image }
        let keep = table.columns.indices.filter { table.columns[$0].kind != .image }
        let rows = table.rows.map { row in keep.map { row[$0] } }
        let layout = layout(columns, rows)
        let (widths, separation) = (layout.widths, layout.separation)
        let paragraph = columns.indices.map { layout.wraps[$0] && widths[$0] < layout.cellWidth[$0] - 0.5 }
        let spec = columns.indices.map { c in
            paragraph[c]
                ? ">{\\" + (columns[c].kind == .numeric ? "raggedleft" : "raggedright")
                    + "\\arraybackslash}p{\(String(format: "%.1f", widths[c]))pt}"
                : columns[c].kind == .numeric ? "r" : "l"
        }.joined()
        func header(_ c: Int) -> String {
            let lines = paragraph[c] ? [columns[c].title] : wrap(columns[c].title, width: widths[c], size: layout.size)
            if lines.count == 1 { return escape(lines[0]) }
            let align = columns[c].kind == .numeric ? "r" : "l"
            return "\\begin{tabular}[b]{@{}\(align)@{}}" + lines.map(escape).joined(separator: "\\\\")
                + "\\end{tabular}"
        }
        var lines = [
            "% Requires \\usepackage{booktabs} and \\usepackage{array}. Written by sslmem.",
            "\\begin{table}[t]", "\\centering", layout.size < 9 ? "\\footnotesize" : "\\small"
        ]
        if separation < columnSeparation { lines.append("\\setlength{\\tabcolsep}{\(separation)pt}") }
        lines += [
            "\\caption{\(escape(caption))}", "\\label{tab:\(label)}", "\\begin{tabular}{\(spec)}", "\\toprule",
            columns.indices.map(header).joined(separator: " & ") + " \\\\", "\\midrule"
        ]
        lines += rows.map { $0.map(escape).joined(separator: " & ") + " \\\\" }
        lines += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
