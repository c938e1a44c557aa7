import SSLMemHDF5
import SSLMemModel
import SSLMemSupport

/// Scores as HDF5: root datasets `index` (int64), `subset` (uint8 codes with a
/// `names` attribute, as in layout v1), `label` (int64) and `align_f`, `align_g`,
/// `diff`, `score` (float64); root attributes `sslmem_format = "scores"`,
/// `sslmem_format_version = 1` and the provenance (options, input files).
extension ScoresTable {
    public func writeHDF5(to path: String) throws {
        let file = try HDF5File(creating: path)
        try file.setAttribute("sslmem_format", .strings(["scores"]))
        try file.setAttribute("sslmem_format_version", .integers([1]))
        for (name, value) in provenance { try file.setAttribute(name, value) }
        _ = try file.write("index", index)
        let subsets = try file.write("subset", subset.map(\.rawValue))
        try subsets.setAttribute("names", .strings(Subset.names))
        _ = try file.write("label", label)
        _ = try file.write("align_f", alignF)
        _ = try file.write("align_g", alignG)
        _ = try file.write("diff", diff)
        _ = try file.write("score", score)
    }

    /// Reads a scores file written by `writeHDF5(to:)`, with its provenance;
    /// or, from a file without `sslmem_format` (another tool's), a per-point
    /// score: root datasets `index` and `column` ("score" when nil), and
    /// `subset` (codes 0–3) and `label` when present. Values must be finite.
    public init(hdf5File path: String, column: String? = nil) throws {
        let file = try HDF5File(reading: path)
        let format = try file.attribute("sslmem_format")?.string
        // sslmem's own scores keep their score column when they lack `column`.
        let column = column.flatMap { format == "scores" && !file.exists("/" + $0) ? nil : $0 }
        if format == nil && (column != nil || !file.exists("/align_f")) {
            try self.init(perPointHDF5: file, column: column ?? "score")
            return
        }
        guard format == "scores" else {
            throw SSLMemError(file: path, "not a scores file (root attribute sslmem_format is not \"scores\")")
        }
        let columns = try PointColumns(file)
        let provenance = try file.attributeNames().filter { !$0.hasPrefix("sslmem_format") }.compactMap { name in
            try file.attribute(name).map { (name, $0) }
        }
        self.init(
            index: columns.index, subset: try columns.subsets(), label: try columns.column("label", Int64.self),
            alignF: try columns.column("align_f", Double.self), alignG: try columns.column("align_g", Double.self),
            diff: try columns.column("diff", Double.self), score: try columns.column(column ?? "score", Double.self),
            provenance: provenance)
        if let column, column != "score" { known = [.subset, .label, .score] }
        try checkFinite(source: path) { "/" + ($0 == "score" ? column ?? "score" : $0) }
    }

    private init(perPointHDF5 file: HDF5File, column: String) throws {
        guard file.exists("/index"), file.exists("/" + column) else {
            throw SSLMemError(
                file: file.path,
                "not a scores file: it needs root datasets index and \(column) "
                    + "(or sslmem_format = \"scores\")")
        }
        let columns = try PointColumns(file)
        self.init(
            index: columns.index, score: try columns.column(column, Double.self),
            subset: file.exists("/subset") ? try columns.subsets() : nil,
            label: file.exists("/label") ? try columns.column("label", Int64.self) : nil)
        try checkFinite(source: file.path) { "/" + $0 }
        sortByIndex()
    }

    /// Reads HDF5 for an `.h5`/`.hdf5` name, a MATLAB file for `.mat`, else CSV;
    /// `column` names the score column of a per-point file ("score" when nil).
    public init(file path: String, column: String? = nil) throws {
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") {
            try self.init(hdf5File: path, column: column)
        } else if path.hasSuffix(".mat") {
            try self.init(matFile: path, column: column)
        } else {
            try self.init(csvFile: path, column: column)
        }
    }

    /// Writes the scores as CSV, or HDF5 when `path` ends in `.h5` or `.hdf5`,
    /// atomically; a table of alignments without scores, as a shard of
    /// alignments (`writeAlignments(to:)`).
    public func write(to path: String) throws {
        if !known.contains(.score) && known.contains(.alignments) {
            try writeAlignments(to: path)
        } else if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") {
            try AtomicOutput.write(to: path) { try writeHDF5(to: $0) }
        } else {
            try AtomicOutput.write(text: csv(), to: path)
        }
    }
}
