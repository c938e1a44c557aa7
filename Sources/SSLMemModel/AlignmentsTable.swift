import SSLMemSupport

/// Per-point alignments A_f(x) and A_g(x) before the score is normalized: a
/// ``PointTable`` that holds `align_f`, `align_g` and `diff` but no score; what
/// one shard of a sharded scoring run writes (`sslmem score --shard i/N`), and
/// what `sslmem merge` joins and normalizes. Rows in ascending index.
///
/// HDF5 form: root attributes `sslmem_format = "alignments"`,
/// `sslmem_format_version = 1`, `shard = i`, `shards = N` and the provenance
/// (pairing, distance, f_files, g_files); root datasets `index`, `subset`,
/// `label`, `align_f`, `align_g`.
public typealias AlignmentsTable = PointTable

extension PointTable {
    /// Joins the N shards of one run into one table in ascending index. Each
    /// shard 0..<N must be given once, all with the same options and input
    /// files, and no point may appear in two shards.
    public static func merge(_ parts: [(path: String, table: AlignmentsTable)]) throws -> AlignmentsTable {
        guard let first = parts.first else { throw SSLMemError("give the shards to merge") }
        let n = first.table.shards
        for part in parts {
            guard part.table.shards == n else {
                throw SSLMemError(
                    file: part.path,
                    "is shard \(part.table.shard)/\(part.table.shards), "
                        + "\(first.path) is one of \(n) shards")
            }
            for (name, value) in part.table.provenance
            where first.table.provenance.first(where: { $0.0 == name })?.1 != value {
                throw SSLMemError(
                    file: part.path,
                    "\(name) is \(value) here but "
                        + "\(first.table.provenance.first { $0.0 == name }?.1.description ?? "missing") in "
                        + "\(first.path); all shards must be scored with the same options and files")
            }
        }
        var seen = [Int: String]()
        for part in parts {
            if let other = seen.updateValue(part.path, forKey: part.table.shard) {
                throw SSLMemError(file: part.path, "shard \(part.table.shard)/\(n) is also given as \(other)")
            }
        }
        let missing = (0..<n).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw SSLMemError(
                "shards \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) are missing; "
                    + "merge needs all \(n)")
        }
        var rows: [(index: Int64, part: Int, row: Int)] = []
        for (p, part) in parts.enumerated() { rows += part.table.index.indices.map { (part.table.index[$0], p, $0) } }
        rows.sort { $0.index < $1.index }
        for (a, b) in zip(rows, rows.dropFirst()) where a.index == b.index {
            throw SSLMemError(
                file: parts[b.part].path, dataset: "/index", point: b.index,
                "also in \(parts[a.part].path); shards must not overlap")
        }
        func gather<T>(_ column: KeyPath<AlignmentsTable, [T]>) -> [T] {
            rows.map { parts[$0.part].table[keyPath: column][$0.row] }
        }
        return AlignmentsTable(
            index: gather(\.index), subset: gather(\.subset), label: gather(\.label),
            alignF: gather(\.alignF), alignG: gather(\.alignG), provenance: first.table.provenance)
    }
}
