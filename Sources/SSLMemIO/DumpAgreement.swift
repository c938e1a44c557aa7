import SSLMemHDF5
import SSLMemSupport

/// Whether dumps meant to be compared come from comparable runs: the f and g encoders of one score (or
/// the checkpoints beside a run) should share the method, architecture, dataset, augmentations and epoch,
/// and must come from the same split of the data.
///
/// - A difference in one of `compared` is a warning (it may be deliberate, e.g. g trained for fewer epochs),
///   reported on stderr and in a report's caveats.
/// - Different `split_sha256` root attributes (the SHA-256 of the split file that assigned points to the
///   shared, candidate, independent and extra subsets; docs/layout.md) are an error: the subsets of one
///   file would not be those of the other, so the score would mean nothing. Files without the attribute
///   are not checked.
public struct DumpAgreement: Sendable {
    /// The root attributes compared, in the order warnings name them.
    public static let compared = ["method", "architecture", "dataset", "augmentations", "epoch"]

    /// One line per attribute whose value differs between the files (first file vs the first that differs).
    public let warnings: [String]

    /// Reads the root attributes of `files` (f files first); throws when two carry different `split_sha256`.
    public init(_ files: [String], only names: [String] = DumpAgreement.compared) throws {
        var values: [[String: String]] = []
        var splits: [(path: String, hash: String)] = []
        for path in files {
            let (attributes, split) = try HDF5Library.serialized { () throws -> ([String: String], String?) in
                let file = try HDF5File(reading: path)
                var attributes: [String: String] = [:]
                for name in names { if let value = try file.attribute(name) { attributes[name] = value.description } }
                return (attributes, try file.attribute("split_sha256")?.string)
            }
            values.append(attributes)
            if let split { splits.append((path, split)) }
        }
        if let first = splits.first, let other = splits.first(where: { $0.hash != first.hash }) {
            throw SSLMemError(
                file: other.path,
                "root attribute split_sha256 is \(other.hash.prefix(12))…, but "
                    + "\(first.path) has \(first.hash.prefix(12))…: the dumps come from different splits "
                    + "of the data, so their subsets differ and a score between them means nothing")
        }
        var warnings: [String] = []
        for name in names {
            let present = files.indices.filter { values[$0][name] != nil }
            guard let first = present.first,
                let other = present.first(where: { values[$0][name] != values[first][name] })
            else { continue }
            warnings.append(
                "the dumps differ in \(name): \(files[first]) has \(values[first][name]!), "
                    + "\(files[other]) has \(values[other][name]!)")
        }
        self.warnings = warnings
    }
}
