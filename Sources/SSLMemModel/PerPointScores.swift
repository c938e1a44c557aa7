import SSLMemSupport

/// Scores from other tools: a per-point file may hold only `index` and one
/// score column (e.g. Feldman's supervised memorization, `index,score`), with
/// or without `subset` and `label`. Such a file becomes a `ScoresTable` whose
/// `known` columns say what it held; the rest is filled with NaN (alignments)
/// or −1 (labels), and its subsets, until known, are not used.
extension ScoresTable {
    /// A table of one score per point; `subset` and `label` when known.
    public init(index: [Int64], score: [Double], subset: [Subset]? = nil, label: [Int64]? = nil) {
        let unknown = [Double](repeating: .nan, count: index.count)
        self.init(
            index: index, subset: subset ?? index.map { _ in .shared }, label: label ?? index.map { _ in -1 },
            alignF: unknown, alignG: unknown, diff: unknown, score: score)
        known = KnownColumns([.score]).union(subset == nil ? [] : [.subset]).union(label == nil ? [] : [.label])
    }

    /// The names of the subsets, or the layout-v1 codes 0–3, as a column.
    public static func subset(named text: Substring) -> Subset? {
        Subset(name: String(text)) ?? UInt8(text).flatMap(Subset.init(rawValue:))
    }

    /// Throws unless every value present is finite, naming the source, the
    /// column (`dataset` gives its name as the source spells it: "score" in a
    /// CSV, "/score" in HDF5) and the point. The same rule for every format.
    public func checkFinite(source: String, dataset: (String) -> String) throws {
        var columns: [(String, [Double])] = [("score", score)]
        if known.contains(.alignments) { columns += [("align_f", alignF), ("align_g", alignG), ("diff", diff)] }
        for (name, values) in columns {
            if let row = values.firstIndex(where: { !$0.isFinite }) {
                throw SSLMemError(
                    file: source, dataset: dataset(name), point: index[row],
                    "\(values[row]) is not a finite number; scores must be finite")
            }
        }
        var seen = Set<Int64>(minimumCapacity: count)
        for key in index where !seen.insert(key).inserted {
            throw SSLMemError(
                file: source, dataset: dataset("index"), point: key, "appears twice; indices must be unique")
        }
    }

    /// The points of this table that `other` also holds, in this table's order,
    /// with `other`'s subsets and labels where this table does not know them:
    /// how a per-point score from another tool gets the subsets of an SSLMem run.
    public func joiningSubsets(from other: ScoresTable) -> ScoresTable {
        var rowOf = [Int64: Int](minimumCapacity: other.count)
        for (row, key) in other.index.enumerated() { rowOf[key] = row }
        let rows = index.indices.filter { rowOf[index[$0]] != nil }
        func pick<T>(_ mine: [T], _ theirs: [T], _ column: KnownColumns) -> [T] {
            known.contains(column) || !other.known.contains(column)
                ? rows.map { mine[$0] } : rows.map { theirs[rowOf[index[$0]]!] }
        }
        var joined = self.rows(rows)
        joined.subset = pick(subset, other.subset, .subset)
        joined.label = pick(label, other.label, .label)
        joined.known = known.union(other.known.intersection([.subset, .label]))
        return joined
    }

    /// The rows in ascending index, the order of every table sslmem writes
    /// (other tools' files may come in any order).
    public mutating func sortByIndex() {
        guard zip(index, index.dropFirst()).contains(where: { $0 > $1 }) else { return }
        self = rows(PointTable.order(index))
    }

    /// Throws unless the table knows each point's subset.
    public func requireSubsets(source: String, for purpose: String) throws {
        guard known.contains(.subset) else {
            throw SSLMemError(
                file: source,
                "has no subset column; \(purpose) needs each point's subset (add a "
                    + "subset column, or take the subsets of an sslmem scores file of the same points)")
        }
    }
}
