import Foundation
import SSLMemIO
import SSLMemSupport

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

/// Fixed-point text for tables: `digits` decimals, true minus, "n/a" for NaN (`NumberFormat.fixed`).
func fixed(_ x: Double, _ digits: Int = 4) -> String { NumberFormat.fixed(x, digits) }

/// A p-value as every report writes it (`NumberFormat.pValue`).
func scientific(_ x: Double) -> String { NumberFormat.pValue(x) }
