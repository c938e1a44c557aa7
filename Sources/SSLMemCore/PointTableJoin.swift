import SSLMemIO
import SSLMemModel
import SSLMemSupport

/// Joining a representations file's rows onto the points being scored.
extension PointTable {
    /// The points of `file`, sorted by index.
    init(_ file: RepresentationsFile) {
        let order = Self.order(file.index)
        self.init(
            index: order.map { file.index[$0] }, subset: order.map { file.subset[$0] },
            label: order.map { file.label[$0] })
    }

    /// `values` (one per row of `file`) rearranged into this table's order.
    /// Throws unless `file` holds exactly these points with the same subsets.
    func arrange(_ values: [Double], of file: RepresentationsFile, reference: String) throws -> [Double] {
        try arrange(
            values, index: file.index, subset: file.subset, source: file.path, dataset: "/points/index",
            subsetDataset: "/points/subset", reference: reference)
    }

    /// `values` (one per entry of `index`, with those subsets) rearranged into
    /// this table's order; `source` names where they come from in errors.
    func arrange(
        _ values: [Double], index keys: [Int64], subset subsets: [Subset], source: String, dataset: String,
        subsetDataset: String, reference: String
    ) throws -> [Double] {
        let order = Self.order(keys)
        let sorted = order.map { keys[$0] }
        guard sorted == index else { throw mismatch(sorted, file: source, dataset: dataset, reference: reference) }
        for (position, row) in order.enumerated() where subsets[row] != subset[position] {
            throw SSLMemError(
                file: source, dataset: subsetDataset, point: index[position],
                "subset \(subsets[row]) here but \(subset[position]) in \(reference)")
        }
        return order.map { values[$0] }
    }

    private func mismatch(_ keys: [Int64], file: String, dataset: String, reference: String) -> SSLMemError {
        let mine = Set(index)
        let theirs = Set(keys)
        let missing = mine.subtracting(theirs).sorted()
        let extra = theirs.subtracting(mine).sorted()
        func few(_ v: [Int64]) -> String {
            v.prefix(5).map(String.init).joined(separator: ", ") + (v.count > 5 ? ", …" : "")
        }
        var parts: [String] = []
        if !missing.isEmpty {
            parts.append("\(missing.count) points of \(reference) are missing here (\(few(missing)))")
        }
        if !extra.isEmpty { parts.append("\(extra.count) points here are not in \(reference) (\(few(extra)))") }
        return SSLMemError(
            file: file, dataset: dataset,
            "holds different points than \(reference): " + parts.joined(separator: "; "))
    }
}
