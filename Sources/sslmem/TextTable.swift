import Foundation

/// A plain-text table with a header rule, columns padded to their widest cell;
/// the first column is left-aligned, the others right-aligned (numbers).
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }
    init(_ header: [String]) { self.header = header }

    mutating func add(_ cells: String...) { rows.append(cells) }
    mutating func add(_ cells: [String]) { rows.append(cells) }

    var text: String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// Fixed-point text for tables: `digits` decimals; "n/a" for NaN.
func fixed(_ x: Double, _ digits: Int = 4) -> String {
    x.isNaN ? "n/a" : String(format: "%.\(digits)f", x)
}

/// Three significant digits in exponent form (p-values); "n/a" for NaN.
func scientific(_ x: Double) -> String {
    x.isNaN ? "n/a" : x == 0 ? "0" : String(format: "%.2e", x)
}
