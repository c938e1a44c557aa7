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

    /// Writes CSV, or HDF5 when `path` ends in `.h5` or `.hdf5`, atomically.
    public func write(to path: String) throws {
        if path.hasSuffix(".h5") || path.hasSuffix(".hdf5") {
            try AtomicOutput.write(to: path) { try writeHDF5(to: $0) }
        } else {
            try AtomicOutput.write(text: csv(), to: path)
        }
    }
}
