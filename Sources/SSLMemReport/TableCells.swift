/// The HTML tables' alignment: a cell that holds a number (or a number's stand-in, "—") is right-aligned
/// (class "num"), text is left-aligned, and a header sits on the side of its column's cells. The templates read
/// each cell and header as `{text, num}`; `annotate` turns the reports' string rows into those.
enum TableCells {
    /// A number, percentage, interval, "< 1e−300", "—", "n/a" or "none": what the tables print in numeric columns.
    static func isNumeric(_ text: String) -> Bool {
        var rest = Substring(text)
        while let first = rest.first, "<>≤≥≈~−-+ [(".contains(first) { rest = rest.dropFirst() }
        guard let first = rest.first else { return text == "—" }
        return first.isNumber || rest == "—" || rest == "n/a" || rest == "none" || rest == "nan" || rest == "∞" || rest == "inf"
    }

    /// `context` with every `cells` list of strings made `[{text, num}]` and every `…Columns`/`columns` list of
    /// strings made `[{text, num}]`, num when most cells of that column (in the rows list of the same name:
    /// `summaryColumns` → `summary`, `findingColumns` → `findingRows`, `columns` → `rows`) are numeric.
    static func annotate(_ context: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        for (key, value) in context {
            if key == "cells", let cells = value as? [String] {
                result[key] = cells.map { ["text": $0, "num": isNumeric($0)] as [String: Any] }
            } else if key == "columns" || key.hasSuffix("Columns"), let columns = value as? [String] {
                let stem = key == "columns" ? "" : String(key.dropLast("Columns".count))
                let names = key == "columns" ? ["rows"] : [stem, stem + "s", stem + "Rows"]
                let rows = names.lazy.compactMap { context[$0] as? [[String: Any]] }.first?
                    .compactMap { $0["cells"] as? [String] } ?? []
                result[key] = columns.indices.map { k -> [String: Any] in
                    let cells = rows.compactMap { k < $0.count ? $0[k] : nil }.filter { $0 != "—" }
                    let numeric = !cells.isEmpty && cells.filter(isNumeric).count * 2 >= cells.count
                    return ["text": columns[k], "num": numeric]
                }
            } else if let dictionary = value as? [String: Any] {
                result[key] = annotate(dictionary)
            } else if let list = value as? [[String: Any]] {
                result[key] = list.map(annotate)
            } else {
                result[key] = value
            }
        }
        return result
    }
}
