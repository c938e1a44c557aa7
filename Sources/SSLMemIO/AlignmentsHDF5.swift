import SSLMemHDF5
import SSLMemModel
import SSLMemSupport

/// The HDF5 form of a shard of alignments (docs/layout.md).
extension AlignmentsTable {
    /// Writes the HDF5 form of a shard of alignments atomically (what
    /// `write(to:)` does for a table of alignments without scores).
    public func writeAlignments(to path: String) throws {
        try AtomicOutput.write(to: path) { temporary in
            let file = try HDF5File(creating: temporary)
            try file.setAttribute("sslmem_format", .strings(["alignments"]))
            try file.setAttribute("sslmem_format_version", .integers([1]))
            try file.setAttribute("shard", .integers([Int64(shard)]))
            try file.setAttribute("shards", .integers([Int64(shards)]))
            for (name, value) in provenance { try file.setAttribute(name, value) }
            _ = try file.write("index", index)
            try file.write("subset", subset.map(\.rawValue)).setAttribute("names", .strings(Subset.names))
            _ = try file.write("label", label)
            _ = try file.write("align_f", alignF)
            _ = try file.write("align_g", alignG)
        }
    }

    public static let provenanceNames = ["pairing", "distance", "f_files", "g_files"]

    /// Reads a file written by `writeAlignments(to:)`.
    public init(path: String) throws {
        let file = try HDF5File(reading: path)
        guard try file.attribute("sslmem_format")?.string == "alignments" else {
            throw SSLMemError(
                file: path,
                "not a shard of alignments (root attribute sslmem_format is not "
                    + "\"alignments\"); write shards with `sslmem score --shard i/N --out part-i.h5`")
        }
        guard case .integers(let shard)? = try file.attribute("shard"),
            case .integers(let shards)? = try file.attribute("shards"),
            shard.count == 1, shards.count == 1, shards[0] >= 1, shard[0] >= 0, shard[0] < shards[0]
        else {
            throw SSLMemError(file: path, "root attributes shard and shards are missing or inconsistent")
        }
        let columns = try PointColumns(file)
        self.init(
            index: columns.index, subset: try columns.subsets(), label: try columns.column("label", Int64.self),
            alignF: try columns.column("align_f", Double.self), alignG: try columns.column("align_g", Double.self),
            provenance: try Self.provenanceNames.map { name in
                guard let value = try file.attribute(name) else {
                    throw SSLMemError(file: path, "root attribute \(name) is missing")
                }
                return (name, value)
            },
            shard: Int(shard[0]), shards: Int(shards[0]))
    }
}
