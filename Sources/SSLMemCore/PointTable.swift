import SSLMemIO

/// The points being scored, in ascending `/points/index` order: the order of
/// every output. Files are joined on the index, never by row position.
public struct PointTable: Sendable, Equatable {
    public let index: [Int64]
    public let subset: [Subset]
    public let label: [Int64]

    /// The points of `file`, sorted by index.
    init(_ file: RepresentationsFile) {
        let order = Self.order(file.index)
        index = order.map { file.index[$0] }
        subset = order.map { file.subset[$0] }
        label = order.map { file.label[$0] }
    }

    public init(index: [Int64], subset: [Subset], label: [Int64]) {
        self.index = index
        self.subset = subset
        self.label = label
    }

    public var count: Int { index.count }

    /// Row order that sorts `keys` ascending.
    static func order(_ keys: [Int64]) -> [Int] {
        keys.indices.sorted { keys[$0] < keys[$1] }
    }

    /// `values` (one per row of `file`) rearranged into this table's order.
    /// Throws unless `file` holds exactly these points with the same subsets.
    func arrange(_ values: [Double], of file: RepresentationsFile, reference: String) throws -> [Double] {
        let order = Self.order(file.index)
        let keys = order.map { file.index[$0] }
        guard keys == index else { throw mismatch(keys, file: file.path, reference: reference) }
        for (position, row) in order.enumerated() where file.subset[row] != subset[position] {
            throw SSLMemError(file: file.path, dataset: "/points/subset", point: index[position],
                              "subset \(file.subset[row]) here but \(subset[position]) in \(reference)")
        }
        return order.map { values[$0] }
    }

    private func mismatch(_ keys: [Int64], file: String, reference: String) -> SSLMemError {
        let mine = Set(index), theirs = Set(keys)
        let missing = mine.subtracting(theirs).sorted(), extra = theirs.subtracting(mine).sorted()
        func few(_ v: [Int64]) -> String {
            v.prefix(5).map(String.init).joined(separator: ", ") + (v.count > 5 ? ", …" : "")
        }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("\(missing.count) points of \(reference) are missing here (\(few(missing)))") }
        if !extra.isEmpty { parts.append("\(extra.count) points here are not in \(reference) (\(few(extra)))") }
        return SSLMemError(file: file, dataset: "/points/index",
                           "holds different points than \(reference): " + parts.joined(separator: "; "))
    }
}
