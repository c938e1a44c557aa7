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

    /// Reads a scores file written by `writeHDF5(to:)`, with its provenance.
    public init(hdf5File path: String) throws {
        let file = try HDF5File(reading: path)
        guard try file.attribute("sslmem_format")?.string == "scores" else {
            throw SSLMemError(file: path, "not a scores file (root attribute sslmem_format is not \"scores\")")
        }
        let columns = try PointColumns(file)
        let provenance = try file.attributeNames().filter { !$0.hasPrefix("sslmem_format") }.compactMap { name in
            try file.attribute(name).map { (name, $0) }
        }
        self.init(index: columns.index, subset: try columns.subsets(), label: try columns.column("label", Int64.self),
                  alignF: try columns.column("align_f", Double.self), alignG: try columns.column("align_g", Double.self),
                  diff: try columns.column("diff", Double.self), score: try columns.column("score", Double.self),
                  provenance: provenance)
    }

    /// Reads HDF5 for an `.h5`/`.hdf5` name, else CSV.
    public init(file path: String) throws {
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") { try self.init(hdf5File: path) } else { try self.init(csvFile: path) }
    }

    /// Writes CSV, or HDF5 when `path` ends in `.h5` or `.hdf5`, atomically.
    public func write(to path: String) throws {
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") {
            try AtomicOutput.write(to: path) { try writeHDF5(to: $0) }
        } else {
            try AtomicOutput.write(text: csv(), to: path)
        }
    }
}
