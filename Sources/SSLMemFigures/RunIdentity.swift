import Foundation
import SSLMemHDF5
import SSLMemIO
import SSLMemModel
import SSLMemSupport

/// Checks that the checkpoints and training logs drawn beside a run's scores are of that run, so that a
/// figure never mixes methods or runs (Fig. 2b: memorization over training, with the losses under it).
///
/// - The checkpoint dumps must agree among themselves in method, architecture, dataset and augmentations.
/// - When the scores record the f and g dumps they came from (a scores `.h5`: root attributes `f_files`,
///   `g_files`), the checkpoints must agree with them in method, architecture and dataset, and each log's
///   `epochs` and `acc` must be those of one of the dumps (root attributes `epoch`, `linear_probe_accuracy`).
///   A scores `.csv` records no dumps; then only the checkpoints among themselves are checked.
public enum RunIdentity {
    public static let runAttributes = ["method", "architecture", "dataset", "augmentations"]

    /// Throws when the checkpoints or logs are of another run; returns a note when the scores record no run.
    public static func check(scores: ScoresTable, scoresFile: String, checkpoints: String?, logs: [String]) throws
        -> String?
    {
        guard let checkpoints else { return nil }
        let dumps = try FileManager.default.contentsOfDirectory(atPath: checkpoints).filter { $0.hasSuffix(".h5") }
            .sorted().map { checkpoints + "/" + $0 }
        if let mixed = try DumpAgreement(dumps, only: runAttributes).warnings.first {
            throw SSLMemError(file: checkpoints, "the checkpoints mix runs: \(mixed)")
        }
        let provenance = Dictionary(scores.provenance, uniquingKeysWith: { a, _ in a })
        let runFiles = ["f_files", "g_files"].flatMap { name -> [String] in
            guard case .strings(let files)? = provenance[name] else { return [] }
            return files
        }.filter { FileManager.default.fileExists(atPath: $0) }
        guard !runFiles.isEmpty else {
            return "\(scoresFile) records no dumps (a .csv never does), so the checkpoints' run cannot be checked "
                + "against it; a scores .h5 records them"
        }
        try check(runFiles: runFiles, of: scoresFile, checkpoints: checkpoints, logs: logs)
        return nil
    }

    /// Throws when the checkpoints or logs are of another run than the dumps `runFiles` (f files first).
    public static func check(runFiles: [String], of run: String, checkpoints: String, logs: [String]) throws {
        let dumps = try FileManager.default.contentsOfDirectory(atPath: checkpoints).filter { $0.hasSuffix(".h5") }
            .sorted().map { checkpoints + "/" + $0 }
        if let other = try DumpAgreement([runFiles[0]] + dumps, only: ["method", "architecture", "dataset"]).warnings
            .first
        {
            throw SSLMemError(file: checkpoints, "the checkpoints are of another run than \(run): \(other)")
        }
        let identities = try runFiles.map { path in
            try HDF5Library.serialized { () throws -> (Int64?, Double?) in
                let file = try HDF5File(reading: path)
                let accuracy: Double? =
                    switch try file.attribute("linear_probe_accuracy") {
                    case .reals(let v)? where v.count == 1: v[0]
                    default: nil
                    }
                return (try file.attribute("epoch")?.integer, accuracy)
            }
        }
        for log in logs {
            guard let (epochs, accuracy) = try summary(ofLog: log) else { continue }
            let known = identities.filter { $0.0 != nil && $0.1 != nil }
            guard !known.isEmpty else { continue }
            if !known.contains(where: { $0.0 == Int64(epochs) && abs($0.1! - accuracy) <= 1e-9 }) {
                throw SSLMemError(
                    file: log,
                    "is not a training log of \(run): it ends at epoch \(epochs) "
                        + "with accuracy \(accuracy); the run's dumps record "
                        + known.map { "epoch \($0.0!), accuracy \($0.1!)" }.joined(separator: " and "))
            }
        }
    }

    /// A log's `epochs` and final `acc`, when it has them.
    static func summary(ofLog path: String) throws -> (Int, Double)? {
        struct Summary: Decodable {
            let epochs: Int?
            let acc: Double?
        }
        guard let data = FileManager.default.contents(atPath: path),
            let summary = try? JSONDecoder().decode(Summary.self, from: data),
            let epochs = summary.epochs, let accuracy = summary.acc
        else { return nil }
        return (epochs, accuracy)
    }
}
