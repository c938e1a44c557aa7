import ArgumentParser
import Foundation
import SSLMemFigures
import SSLMemIO
import SSLMemPlot
import SSLMemSupport

/// `--force`, shared by every command that writes: the data-safety rule is in
/// `OutputGuard` (an output never replaces an input nor a file sslmem did not write).
struct ForceOption: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Write into a non-empty folder that holds no earlier sslmem output of this kind, or over a file that is not one.",
            discussion: "Even then, only files sslmem wrote are replaced, and an input never is."))
    var force = false
}

/// The files and folders named in a run list (`F.h5,G.h5` pairs, report folders, scores files).
func runListPaths(_ runs: [String]) -> [String] {
    runs.flatMap { $0.split(separator: ",").map(String.init) }
}

/// Fails with one wording for every command when an input file or folder is missing: "PATH: no such file".
func requireInputs(_ paths: [String]) throws {
    for path in paths where !FileManager.default.fileExists(atPath: path) {
        throw SSLMemError(file: path, "no such file")
    }
}

/// Writes `figures` (in `formats`, each with its CSV) into the folder `out`, built at a temporary name and
/// moved into place (`AtomicOutput`, which keeps files sslmem did not write). The caller checks `out` with
/// `OutputGuard.checkFolder(out, kind: "figures", inputs:force:)` before its work, as every command with a
/// folder output does, so a refused folder costs no computation. Returns the paths written, as `out/NAME`.
func writeFigureFolder(
    _ figures: [PaperFigure], to out: String, force: Bool,
    formats: [FigureFormat] = FigureFormat.allCases
) throws -> [String] {
    var written: [String] = []
    try AtomicOutput.writeDirectory(out, kind: "figures", force: force) { temporary in
        for figure in figures {
            written += try figure.write(to: temporary, formats: formats).map { ($0 as NSString).lastPathComponent }
        }
    }
    var folder = Substring(out)
    while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
    return written.map { folder + (folder.hasSuffix("/") ? "" : "/") + $0 }
}
